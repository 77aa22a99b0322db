package org.nifimemmap.processors;

import java.nio.ByteOrder;
import java.util.Locale;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.components.Validator;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.RecordingFormat;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;

/** How a raw interleaved recording is laid out, and how Zarr chunks are compressed: shared by the recording processors. */
final class RecordingProperties {
    static final PropertyDescriptor CHANNELS = new PropertyDescriptor.Builder()
            .name("Number of Channels")
            .description("Channels interleaved in each frame of a raw recording. Empty: from the recording's metadata"
                    + " (Recording Format): Neuroscope nChannels, SpikeGLX nSavedChans, Open Ephys num_channels.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(1, EegConverter.MAX_CHANNELS, true)))
            .build();
    static final PropertyDescriptor SAMPLING_RATE = new PropertyDescriptor.Builder()
            .name("Sampling Rate")
            .description("Samples per second per channel (Hz, decimals allowed). Empty: from a raw recording's metadata"
                    + " (Neuroscope samplingRate, lfpSamplingRate for .eeg/.lfp files; SpikeGLX imSampRate/niSampRate/obSampRate;"
                    + " Open Ephys sample_rate), or sampling_frequency from a Zarr recording's attributes.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.emptyOr(Validators.POSITIVE_DECIMAL))
            .build();
    static final PropertyDescriptor SAMPLE_TYPE = new PropertyDescriptor.Builder()
            .name("Sample Type")
            .description("Type of each sample in a raw recording.")
            .required(true)
            .allowableValues("int16", "uint16", "int32", "float32", "float64")
            .defaultValue("int16")
            .build();
    static final PropertyDescriptor BYTE_ORDER = new PropertyDescriptor.Builder()
            .name("Byte Order")
            .description("Byte order of the samples in a raw recording. Zarr outputs are always little-endian.")
            .required(true)
            .allowableValues("little", "big")
            .defaultValue("little")
            .build();
    static final PropertyDescriptor HEADER_SIZE = new PropertyDescriptor.Builder()
            .name("Header Size")
            .description("Bytes to skip at the start of a raw recording before the first frame.")
            .required(true)
            .defaultValue("0")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_NEGATIVE_INTEGER_VALIDATOR)
            .build();

    static final PropertyDescriptor RECORDING_FORMAT = new PropertyDescriptor.Builder()
            .name("Recording Format")
            .description("Which metadata file describes a raw recording: it gives the channel count, rate, channel names, gains"
                    + " (stored as SpikeInterface's properties gain_to_uV and offset_to_uV) and the first sample's time. 'auto' picks"
                    + " by the file found beside the input: Open Ephys structure.oebin (input structure.oebin or"
                    + " continuous/<stream>/continuous.dat), SpikeGLX <name>.meta, Neuroscope <name>.xml, else raw. SpikeGLX and"
                    + " Open Ephys data are int16, little-endian, without header: Sample Type, Byte Order and Header Size are then"
                    + " not used. Number of Channels and Sampling Rate, when set, win over the metadata.")
            .required(true)
            .allowableValues("auto", "neuroscope", "spikeglx", "openephys", "raw")
            .defaultValue("auto")
            .build();
    static final PropertyDescriptor STREAM_NAME = new PropertyDescriptor.Builder()
            .name("Stream Name")
            .description("Open Ephys: the continuous stream (its folder_name in structure.oebin, e.g. 'Rhythm_FPGA-100.0') to convert"
                    + " when the input is a structure.oebin holding several. Empty: the only stream, or the stream whose"
                    + " continuous.dat is the input.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .build();

    static final AllowableValue ZSTD = new AllowableValue("zstd", "zstd + byte shuffle",
            "numcodecs Zstd with a Shuffle filter: the best ratio for neural signals at high speed (level 1-22, default 3).");
    static final AllowableValue BLOSC_LZ4 = new AllowableValue("blosc-lz4", "blosc lz4 + shuffle",
            "numcodecs Blosc with lz4 and byte shuffle: fastest to read back, lower ratio (level 0-9, default 5).");
    static final AllowableValue GZIP = new AllowableValue("gzip", "gzip", "numcodecs GZip: readable everywhere, slow (level 0-9, default 5).");
    static final AllowableValue NONE = new AllowableValue("none", "none", "No compression.");
    static final PropertyDescriptor COMPRESSION_LEVEL = new PropertyDescriptor.Builder()
            .name("Compression Level")
            .description("Codec level. Empty: the codec's default (zstd 3, blosc 5, gzip 5).")
            .required(false)
            .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(0, 22, true)))
            .build();
    static final PropertyDescriptor THREADS = new PropertyDescriptor.Builder()
            .name("Compression Threads")
            .description("Threads reading, decoding and compressing chunks of one recording in parallel. Empty: one per available core.")
            .required(false)
            .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(1, 256, true)))
            .build();

    static final AllowableValue ZARR_V2 = new AllowableValue("v2", "v2", "Zarr v2: .zarray/.zattrs metadata, one file per chunk."
            + " Read by zarr-python 2 and 3, SpikeInterface, xarray, and every Zarr library.");
    static final AllowableValue ZARR_V3 = new AllowableValue("v3", "v3", "Zarr v3: one zarr.json per group and array (dimension_names,"
            + " fill_value, codec chain); with a Shard Size, many chunks live in each shard file (sharding_indexed codec), so a long"
            + " recording is a few files instead of thousands. Read by zarr-python 3 and zarrita. zstd is written as numcodecs.shuffle"
            + " then zstd (as zarr-python 3 writes numcodecs' Shuffle); blosc-lz4, gzip and none use core v3 codecs only.");

    /** Samples per shard of a v3 output, shown when {@code format} is v3. */
    static PropertyDescriptor shardSize(PropertyDescriptor format) {
        return new PropertyDescriptor.Builder()
                .name("Shard Size")
                .description("Zarr v3: samples per shard file along time; each shard holds the chunks of that many samples (all"
                        + " channels) and an index of them, as the sharding_indexed codec describes. Must be a multiple of the"
                        + " chunk size along time. Empty: one file per chunk.")
                .required(false)
                .addValidator(Validators.emptyOr(StandardValidators.createLongValidator(1, Integer.MAX_VALUE, true)))
                .dependsOn(format, ZARR_V3)
                .build();
    }

    /** Shard Size must tile the chunks: a shard holds whole chunks. */
    static ValidationResult shardsTileChunks(ValidationContext context, PropertyDescriptor chunkSize, PropertyDescriptor shardSize) {
        String chunk = context.getProperty(chunkSize).getValue();
        String shard = context.getProperty(shardSize).getValue();
        if (chunk == null || chunk.isBlank() || shard == null || shard.isBlank()) {
            return null;
        }
        try {
            long c = Long.parseLong(chunk.trim());
            long s = Long.parseLong(shard.trim());
            if (c > 0 && s % c != 0) {
                return new ValidationResult.Builder().subject(shardSize.getName()).input(shard).valid(false)
                        .explanation("must be a multiple of " + chunkSize.getName() + " (" + c + "): a shard holds whole chunks, e.g. "
                                + Math.max(c, s / c * c)).build();
            }
        } catch (NumberFormatException e) {
            // The properties' own validators report it.
        }
        return null;
    }

    /** Shard Size as a number, 0 when empty (or when the format is v2, where the property is hidden). */
    static int shardSamples(ProcessContext context, PropertyDescriptor format, PropertyDescriptor shardSize) {
        if (!ZARR_V3.getValue().equals(context.getProperty(format).getValue())) {
            return 0;
        }
        Integer shard = Validators.optionalInteger(context.getProperty(shardSize));
        return shard == null ? 0 : shard;
    }

    private RecordingProperties() {
    }

    static Integer channels(ProcessContext context, FlowFile flowFile) {
        String value = evaluated(context, CHANNELS, flowFile);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Number of Channels '" + value + "' is not a whole number");
        }
    }

    static Double samplingRate(ProcessContext context, FlowFile flowFile) {
        String value = evaluated(context, SAMPLING_RATE, flowFile);
        if (value == null) {
            return null;
        }
        try {
            return Double.valueOf(value);
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sampling Rate '" + value + "' is not a number");
        }
    }

    static long headerSize(ProcessContext context, FlowFile flowFile) {
        String value = evaluated(context, HEADER_SIZE, flowFile);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException | NullPointerException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Header Size '" + value + "' is not a whole number of bytes");
        }
    }

    static RecordingFormat recordingFormat(ProcessContext context) {
        return RecordingFormat.parse(context.getProperty(RECORDING_FORMAT).getValue());
    }

    /** The Open Ephys stream, or null when empty. */
    static String streamName(ProcessContext context, FlowFile flowFile) {
        return evaluated(context, STREAM_NAME, flowFile);
    }

    static SampleType sampleType(ProcessContext context) {
        return SampleType.valueOf(context.getProperty(SAMPLE_TYPE).getValue().toUpperCase(Locale.ROOT));
    }

    static ByteOrder byteOrder(ProcessContext context) {
        return "big".equals(context.getProperty(BYTE_ORDER).getValue()) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    static int compressionLevel(ProcessContext context) {
        Integer level = Validators.optionalInteger(context.getProperty(COMPRESSION_LEVEL));
        return level == null ? -1 : level;
    }

    static int threads(ProcessContext context) {
        Integer configured = Validators.optionalInteger(context.getProperty(THREADS));
        return configured != null ? configured : Runtime.getRuntime().availableProcessors();
    }

    /** Maps a Compression property value; "keep" (RestrictByIntervals) maps to null, meaning the source's codec. */
    static Compression compression(String value) {
        return switch (value) {
            case "zstd" -> Compression.ZSTD;
            case "blosc-lz4" -> Compression.BLOSC_LZ4;
            case "gzip" -> Compression.GZIP;
            case "none" -> Compression.NONE;
            case "keep" -> null;
            default -> throw new IllegalArgumentException("Unknown compression " + value);
        };
    }

    private static String evaluated(ProcessContext context, PropertyDescriptor property, FlowFile flowFile) {
        String value = context.getProperty(property).evaluateAttributeExpressions(flowFile).getValue();
        return value == null || value.isBlank() ? null : value.trim();
    }
}
