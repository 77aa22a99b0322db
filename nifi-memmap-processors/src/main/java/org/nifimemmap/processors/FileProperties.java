package org.nifimemmap.processors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.io.AllowedDirectories;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Property descriptors and their evaluation shared by every processor that reads and writes files. */
final class FileProperties {
    static final AllowableValue FAIL = new AllowableValue("fail", "fail",
            "Route the FlowFile to failure and leave the existing output as it is.");
    static final AllowableValue REPLACE = new AllowableValue("replace", "replace",
            "Build the new output beside the old one, then swap it in; the old output is removed only after the new one is complete.");
    static final AllowableValue IGNORE = new AllowableValue("ignore", "ignore",
            "Keep the existing output, write nothing, and route the FlowFile to success with the existing output's path.");

    static final PropertyDescriptor OUTPUT_DIRECTORY = new PropertyDescriptor.Builder()
            .name("Output Directory")
            .description("Directory the output is written to; created when missing if Create Missing Directories is true."
                    + " Outputs are built in a hidden temporary sibling on the same file system and renamed into place when complete.")
            .required(true)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    static final PropertyDescriptor CREATE_DIRECTORIES = new PropertyDescriptor.Builder()
            .name("Create Missing Directories")
            .description("If true, a missing output directory (and its missing parents) is created, as PutFile does; if false,"
                    + " a missing output directory routes the FlowFile to failure with memmap.error.type = output-unwritable.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("true")
            .build();

    static final PropertyDescriptor SCRATCH_DIRECTORY = new PropertyDescriptor.Builder()
            .name("Scratch Directory")
            .description("Directory for the mapped scratch files of a build, on node-local disk (NVMe): memory-mapped files"
                    + " should never live on a shared file system such as GPFS or NFS, where the Output Directory may be. Each"
                    + " build uses a private hidden directory inside it, removed when the build ends, whether it succeeded or"
                    + " failed. Empty: scratch files go beside the output, in its hidden temporary directory.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.ENVIRONMENT)
            .addValidator(Validators.emptyOr(StandardValidators.NON_BLANK_VALIDATOR))
            .build();

    static final PropertyDescriptor CONFLICT_RESOLUTION = new PropertyDescriptor.Builder()
            .name("Conflict Resolution")
            .description("What to do when the output already exists.")
            .required(true)
            .allowableValues(FAIL, REPLACE, IGNORE)
            .defaultValue(FAIL.getValue())
            .build();

    static final PropertyDescriptor ALLOWED_DIRECTORIES = new PropertyDescriptor.Builder()
            .name("Allowed Directories")
            .description("Comma-separated absolute directories this processor may read from and write to. Every input and"
                    + " output path, after Expression Language, '..' segments and symbolic links are resolved, must lie inside one"
                    + " of them, or the FlowFile goes to failure with memmap.error.type = path-not-allowed. Empty: no restriction"
                    + " beyond the NiFi process's own file permissions. Not evaluated against attributes: it is the operator's limit.")
            .required(false)
            .addValidator((subject, input, context) -> {
                try {
                    AllowedDirectories.parse(input);
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
                } catch (MemmapException e) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
                }
            })
            .build();

    private FileProperties() {
    }

    static AllowedDirectories allowed(ProcessContext context) {
        return AllowedDirectories.parse(context.getProperty(ALLOWED_DIRECTORIES).getValue());
    }

    /** A path to read, from a property, checked against the Allowed Directories. */
    static Path input(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        return allowed(context).checkInput(path(context, property, flowFile), property.getName());
    }

    /** {@code name} inside the Output Directory, checked against the Allowed Directories. */
    static Path output(ProcessContext context, FlowFile flowFile, String name, String what) {
        return outputIn(context, outputDirectory(context, flowFile, OUTPUT_DIRECTORY), name, what);
    }

    /**
     * A directory outputs go to, from a property, checked against the Allowed Directories and, when Create Missing
     * Directories is true, created if missing (only after the check, so nothing is created outside them).
     */
    static Path outputDirectory(ProcessContext context, FlowFile flowFile, PropertyDescriptor property) {
        Path directory = allowed(context).checkOutput(path(context, property, flowFile), property.getName());
        if (context.getProperty(CREATE_DIRECTORIES).asBoolean() && !Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory);
            } catch (IOException | SecurityException e) {
                throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot create " + property.getName() + " " + directory + ": " + e, e);
            }
        }
        return directory;
    }

    static Path outputIn(ProcessContext context, Path directory, String name, String what) {
        return allowed(context).checkOutput(directory.resolve(plainName(name, what)), what);
    }

    /** An output name is a name, not a path: it cannot climb out of the directory it is written to. */
    static String plainName(String name, String what) {
        String trimmed = name.trim();
        if (trimmed.isEmpty() || trimmed.equals(".") || trimmed.equals("..") || trimmed.contains("/") || trimmed.contains("\\")
                || trimmed.indexOf('\0') >= 0) {
            throw new MemmapException(ErrorKind.PATH_NOT_ALLOWED, what + " '" + name + "' is not a plain file name"
                    + " (no '/', '\\', '.' or '..'); use Output Directory to choose where outputs go");
        }
        return trimmed;
    }

    /** Evaluates a path property for one FlowFile; an empty result is a configuration error naming the property. */
    static Path path(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        String value = context.getProperty(property).evaluateAttributeExpressions(flowFile).getValue();
        if (value == null || value.isBlank()) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG,
                    "Property '" + property.getName() + "' evaluated to an empty path for this FlowFile");
        }
        return Path.of(value.trim());
    }

    /** The Scratch Directory, checked against the Allowed Directories like an output; null when not set. */
    static Path scratchDirectory(ProcessContext context) {
        String value = context.getProperty(SCRATCH_DIRECTORY).evaluateAttributeExpressions().getValue();
        if (value == null || value.isBlank()) {
            return null;
        }
        return allowed(context).checkOutput(Path.of(value.trim()), SCRATCH_DIRECTORY.getName());
    }

    static ConflictStrategy conflictStrategy(ProcessContext context) {
        return ConflictStrategy.parse(context.getProperty(CONFLICT_RESOLUTION).getValue());
    }

    /** The input's file name without its last extension, e.g. {@code rec.dat} -> {@code rec}. */
    static String baseName(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
