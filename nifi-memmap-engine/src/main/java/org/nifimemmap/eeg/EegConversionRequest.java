package org.nifimemmap.eeg;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Objects;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrFormat;

/**
 * What to convert and how.
 *
 * @param input            raw interleaved recording (Neuroscope .dat/.eeg/.lfp or any headerless binary)
 * @param output           full path of the {@code .zarr} directory to create
 * @param channels         channel count, or null to read {@code acquisitionSystem/nChannels} from the Neuroscope XML beside the input
 * @param samplingRate     samples per second per channel, or null to read it from the XML
 *                         ({@code fieldPotentials/lfpSamplingRate} for .eeg/.lfp files, else {@code acquisitionSystem/samplingRate})
 * @param sampleType       numeric type of one sample
 * @param byteOrder        byte order of the input samples; the output is always little-endian
 * @param headerBytes      bytes to skip at the start of the input
 * @param chunkSamples     samples per chunk along time, or 0 for chunks of about 4 MiB
 * @param compression      chunk compression
 * @param compressionLevel level, or -1 for the codec default
 * @param conflict         what to do when {@code output} exists
 * @param format           which metadata describes the input ({@link RecordingFormat#AUTO}: the metadata file found beside it);
 *                         SpikeGLX and Open Ephys fix the sample type (int16, little-endian, no header) and override those parameters
 * @param stream           the Open Ephys continuous stream (folder name) when the input is a {@code structure.oebin}, or null
 * @param zarrFormat       Zarr v2 (one file per chunk) or v3
 * @param shardSamples     v3: samples per shard along time, a multiple of the chunk size (chunks inside shard files with
 *                         the {@code sharding_indexed} codec); 0 for one file per chunk
 */
public record EegConversionRequest(Path input, Path output, Integer channels, Double samplingRate,
                                   SampleType sampleType, ByteOrder byteOrder, long headerBytes,
                                   int chunkSamples, Compression compression, int compressionLevel,
                                   ConflictStrategy conflict, RecordingFormat format, String stream,
                                   ZarrFormat zarrFormat, int shardSamples) {
    /** A request for a Zarr v2 store. */
    public EegConversionRequest(Path input, Path output, Integer channels, Double samplingRate, SampleType sampleType,
                                ByteOrder byteOrder, long headerBytes, int chunkSamples, Compression compression,
                                int compressionLevel, ConflictStrategy conflict, RecordingFormat format, String stream) {
        this(input, output, channels, samplingRate, sampleType, byteOrder, headerBytes, chunkSamples, compression, compressionLevel,
                conflict, format, stream, ZarrFormat.V2, 0);
    }

    /** A request whose format is found by the metadata beside the input. */
    public EegConversionRequest(Path input, Path output, Integer channels, Double samplingRate, SampleType sampleType,
                                ByteOrder byteOrder, long headerBytes, int chunkSamples, Compression compression,
                                int compressionLevel, ConflictStrategy conflict) {
        this(input, output, channels, samplingRate, sampleType, byteOrder, headerBytes, chunkSamples, compression, compressionLevel,
                conflict, RecordingFormat.AUTO, null);
    }

    public EegConversionRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(sampleType, "sampleType");
        Objects.requireNonNull(byteOrder, "byteOrder");
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(conflict, "conflict");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(zarrFormat, "zarrFormat");
    }

    /** The same request writing a Zarr v3 store, in shards of {@code shardSamples} samples (0: unsharded). */
    public EegConversionRequest asV3(int shardSamples) {
        return new EegConversionRequest(input, output, channels, samplingRate, sampleType, byteOrder, headerBytes, chunkSamples,
                compression, compressionLevel, conflict, format, stream, ZarrFormat.V3, shardSamples);
    }
}
