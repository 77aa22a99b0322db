package org.nifimemmap.processors;

import java.nio.file.Path;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;
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
            .description("Directory the output is written to; it must exist. Outputs are built in a hidden temporary"
                    + " sibling on the same file system and renamed into place when complete.")
            .required(true)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    static final PropertyDescriptor CONFLICT_RESOLUTION = new PropertyDescriptor.Builder()
            .name("Conflict Resolution")
            .description("What to do when the output already exists.")
            .required(true)
            .allowableValues(FAIL, REPLACE, IGNORE)
            .defaultValue(FAIL.getValue())
            .build();

    private FileProperties() {
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
