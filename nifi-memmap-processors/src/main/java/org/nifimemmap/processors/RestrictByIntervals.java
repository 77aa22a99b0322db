package org.nifimemmap.processors;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.Restriction;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.RequiredPermission;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.eeg.NeuroscopeParameters;
import org.nifimemmap.eeg.RecordingMetadata;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.intervals.IntervalSet;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.restrict.RestrictEngine;
import org.nifimemmap.restrict.RestrictRequest;
import org.nifimemmap.restrict.RestrictRequest.InputKind;
import org.nifimemmap.restrict.RestrictRequest.OutputFormat;
import org.nifimemmap.restrict.RestrictResult;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;

@Tags({"eeg", "lfp", "ephys", "zarr", "intervals", "epochs", "restrict", "pynapple", "memory-mapped", "neuroscience"})
@CapabilityDescription("Cuts a recording down to the time intervals that matter (sleep stages, trials, stimulation"
        + " windows) with pynapple's exact semantics: intervals are normalised as IntervalSet does, and a sample at time t"
        + " is kept when start <= t <= end. Only the chunks holding kept samples are read. The result is a Zarr recording"
        + " with one segment per interval (or a raw binary plus a JSON sidecar); the FlowFile carries only references.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = {
        @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
                explanation = "Reads any recording and interval file the NiFi process can read, named by FlowFile attributes."),
        @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
                explanation = "Writes restricted recordings into any directory the NiFi process can write.")
})
@ReadsAttribute(attribute = "zarr.path", description = "The recording to restrict, used by the default Input Recording (ConvertEegToZarr writes it).")
@WritesAttributes({
        @WritesAttribute(attribute = "zarr.path", description = "The restricted Zarr recording (Output Format zarr)."),
        @WritesAttribute(attribute = "zarr.format", description = "Output Format zarr: the Zarr format of the output, v2 or v3."),
        @WritesAttribute(attribute = "restrict.path", description = "The output written: the Zarr store, or the raw binary."),
        @WritesAttribute(attribute = "restrict.sidecar", description = "Output Format raw: the JSON file describing the raw binary."),
        @WritesAttribute(attribute = "restrict.source", description = "The recording that was restricted."),
        @WritesAttribute(attribute = "restrict.intervals", description = "Number of intervals after pynapple normalisation."),
        @WritesAttribute(attribute = "restrict.segments", description = "Intervals that kept at least one sample: the output's segments."),
        @WritesAttribute(attribute = "restrict.samples", description = "Samples kept per channel, all segments together."),
        @WritesAttribute(attribute = "restrict.bytes_read", description = "Bytes of sample data read from the source (compressed chunks, or raw bytes)."),
        @WritesAttribute(attribute = "restrict.empty", description = "true when no sample fell inside any interval (a valid, empty result)."),
        @WritesAttribute(attribute = "restrict.normalisation", description = "What normalisation changed (sorted, dropped, merged, separated), or 'none'."),
        @WritesAttribute(attribute = "restrict.outcome", description = "created, or ignored when the output existed and Conflict Resolution is ignore."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: the kind of error."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where (file, line, column).")
})
@UseCase(description = "Keep only the sleep epochs of each converted recording.",
        configuration = """
                After ConvertEegToZarr, leave `Input Recording` at `${zarr.path}`. Set `Interval Source` to `file` and
                `Intervals File` to the epoch file beside the recording, e.g. `${absolute.path}/${filename:substringBeforeLast('.')}.sws.evt`
                (Neuroscope events, milliseconds) or a pynapple `IntervalSet.save()` `.npz`. Set `Output Directory`.
                """)
public class RestrictByIntervals extends AbstractProcessor {
    static final PropertyDescriptor INPUT_RECORDING = new PropertyDescriptor.Builder()
            .name("Input Recording")
            .description("A Zarr recording (SpikeInterface layout, as ConvertEegToZarr writes it), a Zarr v2 2-D array"
                    + " (samples, channels), or a raw interleaved recording file (then Number of Channels, Sampling Rate and"
                    + " Sample Type describe it). Never modified.")
            .required(true)
            .defaultValue("${zarr.path}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();
    static final PropertyDescriptor START_TIME = new PropertyDescriptor.Builder()
            .name("Start Time")
            .description("Time in seconds of the first sample of a raw recording (t0). Zarr recordings carry it in t_starts;"
                    + " SpikeGLX (firstSample) and Open Ephys (sample_numbers.npy) recordings in their metadata, which is used instead.")
            .required(true)
            .defaultValue("0")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();
    static final AllowableValue FROM_PROPERTY = new AllowableValue("property", "property", "The Intervals property holds them.");
    static final AllowableValue FROM_FILE = new AllowableValue("file", "file", "The file named by Intervals File holds them.");
    static final AllowableValue FROM_CONTENT = new AllowableValue("content", "content", "The FlowFile's content holds them.");
    static final PropertyDescriptor INTERVAL_SOURCE = new PropertyDescriptor.Builder()
            .name("Interval Source")
            .description("Where the intervals come from.")
            .required(true)
            .allowableValues(FROM_PROPERTY, FROM_FILE, FROM_CONTENT)
            .defaultValue(FROM_PROPERTY.getValue())
            .build();
    static final PropertyDescriptor INTERVALS = new PropertyDescriptor.Builder()
            .name("Intervals")
            .description("Intervals in seconds, e.g. '0-10, 20.5-30' or '0 10; 20.5 30' (one start,end pair per item). Used when"
                    + " Interval Source is property; Expression Language may take them from an attribute.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(INTERVAL_SOURCE, FROM_PROPERTY)
            .build();
    static final PropertyDescriptor INTERVALS_FILE = new PropertyDescriptor.Builder()
            .name("Intervals File")
            .description("File holding the intervals: CSV/TSV (start,end columns, header optional), JSON (list of pairs, list of"
                    + " {start,end} objects, or {start:[...], end:[...]}), Neuroscope .evt (alternating start/stop lines in"
                    + " milliseconds), or a pynapple IntervalSet saved with .save() (.npz). Used when Interval Source is file.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(INTERVAL_SOURCE, FROM_FILE)
            .build();
    static final PropertyDescriptor INTERVAL_FORMAT = new PropertyDescriptor.Builder()
            .name("Interval Format")
            .description("Format of the intervals. auto: by file name (.csv .tsv .json .evt .npz .txt), else by content.")
            .required(true)
            .allowableValues("auto", "text", "csv", "tsv", "json", "evt", "npz")
            .defaultValue("auto")
            .build();
    static final AllowableValue ZARR_OUTPUT = new AllowableValue("zarr", "zarr",
            "A Zarr recording with one segment (traces_seg{i}) per interval, t_starts, and the time support in attributes.");
    static final AllowableValue RAW_OUTPUT = new AllowableValue("raw", "raw",
            "One interleaved binary of the kept samples, plus <name>.json describing rate, channels, dtype and segments.");
    static final PropertyDescriptor OUTPUT_FORMAT = new PropertyDescriptor.Builder()
            .name("Output Format")
            .description("What to write.")
            .required(true)
            .allowableValues(ZARR_OUTPUT, RAW_OUTPUT)
            .defaultValue(ZARR_OUTPUT.getValue())
            .build();
    static final PropertyDescriptor OUTPUT_NAME = new PropertyDescriptor.Builder()
            .name("Output Name")
            .description("Name of the output inside the Output Directory. Empty: the input's name without extension, plus"
                    + " '-restricted.zarr' (zarr) or '-restricted.dat' (raw).")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.emptyOr(StandardValidators.NON_BLANK_VALIDATOR))
            .build();
    static final PropertyDescriptor COMPRESSION = new PropertyDescriptor.Builder()
            .name("Compression")
            .description("Codec of the output's Zarr chunks. keep: the source's codec (zstd + shuffle for a raw source).")
            .required(true)
            .allowableValues(new AllowableValue("keep", "keep", "The source recording's codec and filters."),
                    RecordingProperties.ZSTD, RecordingProperties.BLOSC_LZ4, RecordingProperties.GZIP, RecordingProperties.NONE)
            .defaultValue("keep")
            .dependsOn(OUTPUT_FORMAT, ZARR_OUTPUT)
            .build();
    static final PropertyDescriptor CHUNK_SIZE = new PropertyDescriptor.Builder()
            .name("Chunk Size")
            .description("Samples per chunk of the output. Empty: the source's chunking (about 4 MB for a raw source).")
            .required(false)
            .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(1, Integer.MAX_VALUE, true)))
            .dependsOn(OUTPUT_FORMAT, ZARR_OUTPUT)
            .build();
    static final PropertyDescriptor ZARR_FORMAT = new PropertyDescriptor.Builder()
            .name("Zarr Format")
            .description("Zarr format of the output. keep: the source's (v2 for a raw source). Channel ids and properties are"
                    + " converted when the formats differ.")
            .required(true)
            .allowableValues(new AllowableValue("keep", "keep", "The source recording's Zarr format."),
                    RecordingProperties.ZARR_V2, RecordingProperties.ZARR_V3)
            .defaultValue("keep")
            .dependsOn(OUTPUT_FORMAT, ZARR_OUTPUT)
            .build();
    static final PropertyDescriptor SHARD_SIZE = RecordingProperties.shardSize(ZARR_FORMAT);
    /** Interval text in FlowFile content is small; a larger content is refused before it is read. */
    static final long MAX_CONTENT_BYTES = 512L << 20;

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("The recording was restricted (possibly to nothing: see restrict.empty), or the output existed and was kept.").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The recording or the intervals could not be used; memmap.error.type and memmap.error.message say why. Nothing was written.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(INPUT_RECORDING, RecordingProperties.RECORDING_FORMAT,
            RecordingProperties.STREAM_NAME, RecordingProperties.CHANNELS,
            RecordingProperties.SAMPLING_RATE, RecordingProperties.SAMPLE_TYPE, RecordingProperties.BYTE_ORDER,
            RecordingProperties.HEADER_SIZE, START_TIME, INTERVAL_SOURCE, INTERVALS, INTERVALS_FILE, INTERVAL_FORMAT,
            FileProperties.OUTPUT_DIRECTORY, FileProperties.CREATE_DIRECTORIES, OUTPUT_NAME, FileProperties.CONFLICT_RESOLUTION, OUTPUT_FORMAT, ZARR_FORMAT, COMPRESSION,
            RecordingProperties.COMPRESSION_LEVEL, CHUNK_SIZE, SHARD_SIZE, RecordingProperties.THREADS, FileProperties.ALLOWED_DIRECTORIES);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);

    private volatile ExecutorService pool;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected Collection<ValidationResult> customValidate(ValidationContext context) {
        List<ValidationResult> problems = new ArrayList<>();
        String source = context.getProperty(INTERVAL_SOURCE).getValue();
        if (FROM_PROPERTY.getValue().equals(source)) {
            String text = context.getProperty(INTERVALS).getValue();
            if (text == null || text.isBlank()) {
                problems.add(invalid(INTERVALS, "is required when Interval Source is property"));
            } else if (!context.isExpressionLanguagePresent(text) && !text.contains("#{")) {
                try {
                    intervalsFromText(text, context.getProperty(INTERVAL_FORMAT).getValue());
                } catch (MemmapException e) {
                    problems.add(invalid(INTERVALS, e.getMessage()));
                }
            }
        } else if (FROM_FILE.getValue().equals(source) && !context.getProperty(INTERVALS_FILE).isSet()) {
            problems.add(invalid(INTERVALS_FILE, "is required when Interval Source is file"));
        }
        ValidationResult shards = RecordingProperties.shardsTileChunks(context, CHUNK_SIZE, SHARD_SIZE);
        if (shards != null) {
            problems.add(shards);
        }
        return problems;
    }

    private static ValidationResult invalid(PropertyDescriptor property, String why) {
        return new ValidationResult.Builder().subject(property.getName()).valid(false).explanation(why).build();
    }

    @OnScheduled
    public void startPool(ProcessContext context) {
        pool = WorkerPool.start("RestrictByIntervals-" + getIdentifier(), RecordingProperties.threads(context));
    }

    @OnStopped
    public void stopPool() throws InterruptedException {
        WorkerPool.stop(pool);
        pool = null;
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        long started = System.nanoTime();
        CreatedOutputs outputs;
        try {
            IntervalSet intervals = intervals(context, session, flowFile);
            if (intervals.isEmpty()) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "No interval is left after pynapple normalisation ("
                        + String.join("; ", intervals.notes()) + "): nothing to restrict to");
            }
            if (!intervals.notes().isEmpty()) {
                getLogger().warn("Intervals for {} were normalised as pynapple does: {}", flowFile, String.join("; ", intervals.notes()));
            }
            RestrictRequest request = request(context, flowFile, intervals);
            outputs = request.outputFormat() == OutputFormat.RAW
                    ? CreatedOutputs.ifAbsentNow(request.output(), Path.of(request.output() + ".json"))
                    : CreatedOutputs.ifAbsentNow(request.output());
            RestrictResult result = RestrictEngine.restrict(request, pool);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            flowFile = session.putAllAttributes(flowFile, attributes(request, result));
            if (result.skipped()) {
                session.adjustCounter("Outputs kept (already existed)", 1, false);
            } else {
                session.getProvenanceReporter().send(flowFile, result.output().toUri().toString(),
                        "Restricted " + request.input() + " to " + result.intervalsKept() + " interval(s)", millis);
                session.adjustCounter("Recordings restricted", 1, false);
                session.adjustCounter("Samples kept", result.samplesKept(), false);
                session.adjustCounter("Bytes read", result.bytesRead(), false);
            }
            session.transfer(flowFile, REL_SUCCESS);
        } catch (RuntimeException e) {
            session.adjustCounter("Restrictions failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "RestrictByIntervals", e);
            return;
        }
        outputs.commit(session, getLogger());
    }

    private static IntervalSet intervals(ProcessContext context, ProcessSession session, FlowFile flowFile) {
        String format = context.getProperty(INTERVAL_FORMAT).getValue();
        String source = context.getProperty(INTERVAL_SOURCE).getValue();
        if (FROM_PROPERTY.getValue().equals(source)) {
            String text = context.getProperty(INTERVALS).evaluateAttributeExpressions(flowFile).getValue();
            if (text == null || text.isBlank()) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Intervals evaluated to nothing for this FlowFile");
            }
            return intervalsFromText(text, format);
        }
        if (FROM_FILE.getValue().equals(source)) {
            return intervalsFromFile(FileProperties.input(context, INTERVALS_FILE, flowFile), format);
        }
        return intervalsFromContent(session, flowFile, format);
    }

    private static IntervalSet intervalsFromText(String text, String format) {
        IntervalFormat parsed = "auto".equals(format) ? IntervalFormat.TEXT : IntervalFormat.parse(format);
        return IntervalParser.parse(text, parsed);
    }

    private static IntervalSet intervalsFromFile(Path file, String format) {
        return "auto".equals(format) ? IntervalParser.parseFile(file) : IntervalParser.parseFile(file, IntervalFormat.parse(format));
    }

    /** Content goes through a temporary file so that every format, the binary .npz included, has one reader. */
    private static IntervalSet intervalsFromContent(ProcessSession session, FlowFile flowFile, String format) {
        if (flowFile.getSize() > MAX_CONTENT_BYTES) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "FlowFile content of " + flowFile.getSize()
                    + " bytes is too large for interval text (limit " + MAX_CONTENT_BYTES + "); save large sets as .npz files");
        }
        Path temporary = null;
        try {
            temporary = Files.createTempFile("nifi-memmap-intervals-", ".content");
            Path target = temporary;
            session.read(flowFile, in -> Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING));
            try {
                return intervalsFromFile(temporary, format);
            } catch (MemmapException e) {
                // The temporary's name means nothing to the user: say "FlowFile content" instead.
                throw new MemmapException(e.kind(), e.getMessage().replace(temporary.toString(), "FlowFile content"), e);
            }
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read the intervals from FlowFile content: " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Left in the system temporary directory; nothing of the user's depends on it.
                }
            }
        }
    }

    private static RestrictRequest request(ProcessContext context, FlowFile flowFile, IntervalSet intervals) {
        Path input = FileProperties.input(context, INPUT_RECORDING, flowFile);
        if (!Files.exists(input)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Recording not found: " + input);
        }
        InputKind kind = InputKind.detect(input);
        if (kind == InputKind.RAW && Files.isDirectory(input)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, input + " is a directory without .zgroup or .zarray:"
                    + " not a Zarr recording, a Zarr array, or a raw recording file");
        }
        Double rate = RecordingProperties.samplingRate(context, flowFile);
        OutputFormat format = RAW_OUTPUT.getValue().equals(context.getProperty(OUTPUT_FORMAT).getValue()) ? OutputFormat.RAW : OutputFormat.ZARR;
        Path output = FileProperties.output(context, flowFile, outputName(context, flowFile, input, format), "Output Name");
        RestrictRequest.RawInput raw = null;
        if (kind == InputKind.RAW) {
            RecordingMetadata metadata = RecordingMetadata.of(input, RecordingProperties.recordingFormat(context),
                    RecordingProperties.streamName(context, flowFile));
            // An Open Ephys structure file names its data file; that one must be allowed too.
            input = FileProperties.allowed(context).checkInput(metadata.data(), INPUT_RECORDING.getName());
            raw = rawLayout(context, flowFile, metadata, rate);
        }
        Integer chunk = Validators.optionalInteger(context.getProperty(CHUNK_SIZE));
        return new RestrictRequest(input, kind, raw, kind == InputKind.RAW ? null : rate, intervals, output, format,
                RecordingProperties.compression(context.getProperty(COMPRESSION).getValue()),
                RecordingProperties.compressionLevel(context), chunk == null ? 0 : chunk, FileProperties.conflictStrategy(context),
                zarrFormat(context), RecordingProperties.shardSamples(context, ZARR_FORMAT, SHARD_SIZE));
    }

    /** The Zarr Format property; null for keep (the source's format). */
    private static ZarrFormat zarrFormat(ProcessContext context) {
        String value = context.getProperty(ZARR_FORMAT).getValue();
        return value == null || "keep".equals(value) ? null : ZarrFormat.parse(value);
    }

    /**
     * The layout of a raw recording: properties first, then its metadata. SpikeGLX and Open Ephys fix int16,
     * little-endian, no header, and their first sample's time; Start Time applies to the others.
     */
    private static RestrictRequest.RawInput rawLayout(ProcessContext context, FlowFile flowFile, RecordingMetadata metadata, Double rate) {
        Path input = metadata.data();
        Integer channels = RecordingProperties.channels(context, flowFile);
        channels = channels != null ? channels : metadata.channels();
        rate = rate != null ? rate : metadata.samplingRate();
        if (channels == null || rate == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Raw recording " + input + ": Number of Channels and Sampling Rate"
                    + " are not set and no metadata file (Neuroscope " + NeuroscopeParameters.xmlBeside(input) + ", SpikeGLX .meta,"
                    + " Open Ephys structure.oebin) describes it");
        }
        if (metadata.sampleType() != null) {
            return new RestrictRequest.RawInput(channels, rate, metadata.sampleType(), ByteOrder.LITTLE_ENDIAN, 0,
                    metadata.tStart(), metadata.table());
        }
        String t0 = context.getProperty(START_TIME).evaluateAttributeExpressions(flowFile).getValue();
        double startTime;
        try {
            startTime = Double.parseDouble(t0.trim());
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Start Time '" + t0 + "' is not a number of seconds");
        }
        return new RestrictRequest.RawInput(channels, rate, RecordingProperties.sampleType(context),
                RecordingProperties.byteOrder(context), RecordingProperties.headerSize(context, flowFile), startTime, metadata.table());
    }

    private static String outputName(ProcessContext context, FlowFile flowFile, Path input, OutputFormat format) {
        String name = context.getProperty(OUTPUT_NAME).evaluateAttributeExpressions(flowFile).getValue();
        if (name != null && !name.isBlank()) {
            return name.trim();
        }
        return FileProperties.baseName(input) + (format == OutputFormat.ZARR ? "-restricted.zarr" : "-restricted.dat");
    }

    private static Map<String, String> attributes(RestrictRequest request, RestrictResult result) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (request.outputFormat() == OutputFormat.ZARR) {
            attributes.put("zarr.path", result.output().toString());
            // The store on disk says it: with 'keep' it is the source's format, and an ignored output may predate this run.
            attributes.put("zarr.format", ZarrGroup.open(result.output()).format().label());
        } else {
            attributes.put("restrict.sidecar", result.output() + ".json");
        }
        attributes.put("restrict.path", result.output().toString());
        attributes.put("restrict.source", request.input().toString());
        attributes.put("restrict.intervals", Integer.toString(result.intervalsGiven()));
        attributes.put("restrict.segments", Integer.toString(result.intervalsKept()));
        attributes.put("restrict.samples", Long.toString(result.samplesKept()));
        attributes.put("restrict.bytes_read", Long.toString(result.bytesRead()));
        attributes.put("restrict.empty", Boolean.toString(result.empty()));
        attributes.put("restrict.normalisation", request.intervals().notes().isEmpty() ? "none" : String.join("; ", request.intervals().notes()));
        attributes.put("restrict.output.format", request.outputFormat().name().toLowerCase(Locale.ROOT));
        attributes.put("restrict.outcome", result.skipped() ? "ignored" : "created");
        return attributes;
    }
}
