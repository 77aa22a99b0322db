package org.nifimemmap.processors;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.Restriction;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
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
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConversionResult;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.OpenEphysStructure;
import org.nifimemmap.eeg.RecordingFormat;
import org.nifimemmap.eeg.RecordingMetadata;
import org.nifimemmap.zarr.ZarrFormat;

@Tags({"eeg", "lfp", "ephys", "neuroscope", "spikeglx", "neuropixels", "openephys", "zarr", "convert", "memory-mapped", "neuroscience"})
@CapabilityDescription("Converts a raw interleaved multichannel recording (SpikeGLX .bin, Open Ephys binary, Neuroscope"
        + " .dat/.eeg/.lfp or any headerless interleaved binary) into a Zarr v2 or v3 recording (v3 optionally sharded) in SpikeInterface's layout, reading the input through read-only"
        + " memory maps and compressing chunks in parallel. The FlowFile carries only the reference: its content is left"
        + " untouched and the Zarr path is written to the 'zarr.path' attribute.")
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = {
        @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
                explanation = "Reads any recording the NiFi process can read, named by a FlowFile attribute."),
        @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
                explanation = "Writes Zarr stores into any directory the NiFi process can write.")
})
@ReadsAttributes({
        @ReadsAttribute(attribute = "absolute.path", description = "Directory of the recording (as ListFile writes it), used by the default Input File."),
        @ReadsAttribute(attribute = "filename", description = "Name of the recording, used by the default Input File.")
})
@WritesAttributes({
        @WritesAttribute(attribute = "zarr.path", description = "Absolute path of the Zarr store written (or kept, with conflict resolution 'ignore')."),
        @WritesAttribute(attribute = "zarr.format", description = "Zarr format of the store: v2 or v3 (Zarr Format)."),
        @WritesAttribute(attribute = "eeg.channels", description = "Number of channels."),
        @WritesAttribute(attribute = "eeg.samples", description = "Number of samples per channel."),
        @WritesAttribute(attribute = "eeg.sampling_rate", description = "Sampling rate in Hz."),
        @WritesAttribute(attribute = "eeg.duration_s", description = "Duration in seconds (samples / rate)."),
        @WritesAttribute(attribute = "eeg.input.fingerprint", description = "Fingerprint of the input file, also stored in the Zarr attributes."),
        @WritesAttribute(attribute = "eeg.stream", description = "Open Ephys: the stream converted, when a structure.oebin with several streams gave one FlowFile per stream (with fragment.identifier, fragment.index, fragment.count)."),
        @WritesAttribute(attribute = "eeg.format", description = "The format whose metadata described the recording: neuroscope, spikeglx, openephys or raw."),
        @WritesAttribute(attribute = "eeg.gain_to_uV", description = "Microvolts per integer step when every channel has the same gain (per-channel gains are in the store's properties/gain_to_uV)."),
        @WritesAttribute(attribute = "zarr.outcome", description = "created, replaced or ignored (an existing output was kept)."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: the kind of error (input-not-found, invalid-input, invalid-config, output-exists, output-unwritable, ...)."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where.")
})
@UseCase(description = "Convert raw Neuroscope recordings that land in a directory into Zarr for Python analysis.",
        configuration = """
                Upstream, ListFile on the acquisition directory with a File Filter such as `.*\\.(dat|eeg|lfp)`.
                Set `Output Directory` to the Zarr destination. Leave `Number of Channels` and `Sampling Rate` empty when a
                Neuroscope XML file sits beside each recording; otherwise set them (Expression Language may read them from attributes).
                Route `failure` to a notification or a retry queue: the recording itself is never modified.
                """)
public class ConvertEegToZarr extends AbstractProcessor {
    static final PropertyDescriptor INPUT_FILE = new PropertyDescriptor.Builder()
            .name("Input File")
            .description("Path of the raw recording. The file is mapped read-only and never modified.")
            .required(true)
            .defaultValue("${absolute.path}/${filename}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();
    static final PropertyDescriptor OUTPUT_NAME = new PropertyDescriptor.Builder()
            .name("Output Name")
            .description("Name of the Zarr store inside the Output Directory. Empty: the input's name without its extension, plus .zarr.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.emptyOr(StandardValidators.NON_BLANK_VALIDATOR))
            .build();
    static final PropertyDescriptor CHUNK_SIZE = new PropertyDescriptor.Builder()
            .name("Chunk Size")
            .description("Samples per Zarr chunk (all channels in one chunk). Empty: chunks of about 4 MB uncompressed.")
            .required(false)
            .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(1, Integer.MAX_VALUE, true)))
            .build();
    static final PropertyDescriptor COMPRESSION = new PropertyDescriptor.Builder()
            .name("Compression")
            .description("Codec of the Zarr chunks; every choice is readable by zarr-python with numcodecs.")
            .required(true)
            .allowableValues(RecordingProperties.ZSTD, RecordingProperties.BLOSC_LZ4, RecordingProperties.GZIP, RecordingProperties.NONE)
            .defaultValue(RecordingProperties.ZSTD.getValue())
            .build();
    static final PropertyDescriptor ZARR_FORMAT = new PropertyDescriptor.Builder()
            .name("Zarr Format")
            .description("Zarr format of the store written.")
            .required(true)
            .allowableValues(RecordingProperties.ZARR_V2, RecordingProperties.ZARR_V3)
            .defaultValue(RecordingProperties.ZARR_V2.getValue())
            .build();
    static final PropertyDescriptor SHARD_SIZE = RecordingProperties.shardSize(ZARR_FORMAT);

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("The Zarr store was written (or already existed, with conflict resolution 'ignore').").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The recording could not be converted; memmap.error.type and memmap.error.message say why. Nothing was written.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(INPUT_FILE, RecordingProperties.RECORDING_FORMAT,
            RecordingProperties.STREAM_NAME, RecordingProperties.CHANNELS,
            RecordingProperties.SAMPLING_RATE, RecordingProperties.SAMPLE_TYPE, RecordingProperties.BYTE_ORDER,
            RecordingProperties.HEADER_SIZE, FileProperties.OUTPUT_DIRECTORY, FileProperties.CREATE_DIRECTORIES, OUTPUT_NAME,
            FileProperties.CONFLICT_RESOLUTION,
            ZARR_FORMAT, CHUNK_SIZE, SHARD_SIZE, COMPRESSION, RecordingProperties.COMPRESSION_LEVEL, RecordingProperties.THREADS,
            FileProperties.ALLOWED_DIRECTORIES);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);

    private volatile ExecutorService pool;
    private volatile EegConverter converter;

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
        ValidationResult shards = RecordingProperties.shardsTileChunks(context, CHUNK_SIZE, SHARD_SIZE);
        return shards == null ? List.of() : List.of(shards);
    }

    @OnScheduled
    public void startPool(ProcessContext context) {
        int threads = RecordingProperties.threads(context);
        pool = WorkerPool.start("ConvertEegToZarr-" + getIdentifier(), threads);
        // Two buffers per thread keep every thread busy while the writer drains; heap stays bounded by this.
        converter = new EegConverter(pool, 2 * threads);
    }

    @OnStopped
    public void stopPool() throws InterruptedException {
        WorkerPool.stop(pool);
        pool = null;
        converter = null;
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        List<String> streams;
        try {
            streams = streams(context, flowFile);
        } catch (RuntimeException e) {
            session.adjustCounter("Conversions failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "ConvertEegToZarr", e);
            return;
        }
        List<Path> created = new ArrayList<>();
        if (streams.size() == 1) {
            convert(context, session, flowFile, streams.getFirst(), created);
        } else {
            // One FlowFile per Open Ephys stream, each routed on its own, like one per population in the index builders.
            String fragmentId = UUID.randomUUID().toString();
            for (int i = 0; i < streams.size(); i++) {
                FlowFile child = session.putAllAttributes(session.clone(flowFile), Map.of("eeg.stream", streams.get(i),
                        "fragment.identifier", fragmentId, "fragment.index", Integer.toString(i),
                        "fragment.count", Integer.toString(streams.size())));
                convert(context, session, child, streams.get(i), created);
            }
            session.remove(flowFile);
        }
        CreatedOutputs.of(created).commit(session, getLogger());
    }

    /**
     * The Open Ephys streams to convert: every stream of a structure.oebin input when Stream Name is empty and it holds
     * several, else just the Stream Name (null when empty).
     */
    private static List<String> streams(ProcessContext context, FlowFile flowFile) {
        String stream = RecordingProperties.streamName(context, flowFile);
        RecordingFormat format = RecordingProperties.recordingFormat(context);
        Path input = FileProperties.input(context, INPUT_FILE, flowFile);
        if (stream == null && input.getFileName().toString().equals(OpenEphysStructure.FILE_NAME)
                && (format == RecordingFormat.AUTO || format == RecordingFormat.OPENEPHYS)) {
            List<String> names = OpenEphysStructure.parse(input).names();
            if (names.size() > 1) {
                return names;
            }
        }
        return Collections.singletonList(stream);
    }

    private void convert(ProcessContext context, ProcessSession session, FlowFile flowFile, String stream, List<Path> created) {
        long started = System.nanoTime();
        try {
            EegConversionRequest request = request(context, flowFile, stream);
            boolean absent = !Files.exists(request.output(), LinkOption.NOFOLLOW_LINKS);
            EegConversionResult result = converter.convert(request);
            if (absent && !result.skipped()) {
                created.add(request.output());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            flowFile = session.putAllAttributes(flowFile, attributes(result, request));
            if (result.skipped()) {
                session.adjustCounter("Outputs kept (already existed)", 1, false);
            } else {
                session.getProvenanceReporter().send(flowFile, result.zarrPath().toUri().toString(),
                        "Converted " + request.input() + " to Zarr", millis);
                session.adjustCounter("Recordings converted", 1, false);
                session.adjustCounter("Bytes converted", result.inputBytes(), false);
            }
            session.transfer(flowFile, REL_SUCCESS);
        } catch (RuntimeException e) {
            session.adjustCounter("Conversions failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "ConvertEegToZarr", e);
        }
    }

    private EegConversionRequest request(ProcessContext context, FlowFile flowFile, String stream) {
        Path input = FileProperties.input(context, INPUT_FILE, flowFile);
        String outputName = context.getProperty(OUTPUT_NAME).evaluateAttributeExpressions(flowFile).getValue();
        RecordingFormat format = RecordingProperties.recordingFormat(context);
        // An Open Ephys structure file names its data file; that one must be allowed too.
        FileProperties.allowed(context).checkInput(RecordingMetadata.of(input, format, stream).data(), INPUT_FILE.getName());
        if (outputName == null || outputName.isBlank()) {
            outputName = defaultOutputName(input, stream) + ".zarr";
        }
        Integer chunkSize = Validators.optionalInteger(context.getProperty(CHUNK_SIZE));
        return new EegConversionRequest(
                input,
                FileProperties.output(context, flowFile, outputName, "Output Name"),
                RecordingProperties.channels(context, flowFile),
                RecordingProperties.samplingRate(context, flowFile),
                RecordingProperties.sampleType(context),
                RecordingProperties.byteOrder(context),
                RecordingProperties.headerSize(context, flowFile),
                chunkSize == null ? 0 : chunkSize,
                RecordingProperties.compression(context.getProperty(COMPRESSION).getValue()),
                RecordingProperties.compressionLevel(context),
                FileProperties.conflictStrategy(context),
                format,
                stream,
                ZarrFormat.parse(context.getProperty(ZARR_FORMAT).getValue()),
                RecordingProperties.shardSamples(context, ZARR_FORMAT, SHARD_SIZE));
    }

    /** Open Ephys names every data file continuous.dat: its stream folder names the output instead. */
    private static String defaultOutputName(Path input, String stream) {
        String name = input.getFileName().toString();
        if (name.equals(OpenEphysStructure.FILE_NAME) && stream != null) {
            return stream.endsWith("/") ? stream.substring(0, stream.length() - 1) : stream;
        }
        if (name.equals("continuous.dat") && OpenEphysStructure.structureOf(input) != null) {
            return input.toAbsolutePath().getParent().getFileName().toString();
        }
        return FileProperties.baseName(input);
    }

    private static Map<String, String> attributes(EegConversionResult result, EegConversionRequest request) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("zarr.path", result.zarrPath().toString());
        attributes.put("zarr.format", request.zarrFormat().label());
        attributes.put("eeg.channels", Integer.toString(result.channels()));
        attributes.put("eeg.samples", Long.toString(result.samples()));
        attributes.put("eeg.sampling_rate", Double.toString(result.samplingRate()));
        attributes.put("eeg.duration_s", Double.toString(result.durationSeconds()));
        attributes.put("eeg.input.fingerprint", result.fingerprint());
        attributes.put("eeg.format", result.format().label());
        if (result.gainToUv() != null) {
            attributes.put("eeg.gain_to_uV", Double.toString(result.gainToUv()));
        }
        attributes.put("zarr.outcome", result.skipped() ? "ignored" : result.replacedExisting() ? "replaced" : "created");
        return attributes;
    }
}
