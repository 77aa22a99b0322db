package org.nifimemmap.restrict;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.nifimemmap.eeg.ChannelTable;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.intervals.IntervalSet;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;

/**
 * What to restrict to which intervals, and where to put the result.
 *
 * @param input            a Zarr recording directory, a Zarr v2 2-D array directory, or a raw interleaved recording
 * @param inputKind        how to read {@code input}
 * @param raw              layout of a raw input (null for Zarr inputs)
 * @param samplingFrequency samples per second for a Zarr array input whose attributes do not say it (null: from attributes)
 * @param intervals        normalised intervals in seconds (pynapple semantics)
 * @param output           the {@code .zarr} directory, or the raw binary file (its JSON sidecar is {@code output + ".json"})
 * @param outputFormat     ZARR or RAW
 * @param compression      chunk compression of a Zarr output, or null to keep the source's codec (ZSTD for a raw source)
 * @param compressionLevel level for {@code compression}, -1 for the codec default
 * @param chunkSamples     samples per chunk of a Zarr output, or 0 to keep the source's chunking (about 4 MiB for a raw source)
 * @param conflict         what to do when the output exists
 * @param zarrFormat       Zarr format of a Zarr output, or null for the source's (v2 for a raw source)
 * @param shardSamples     v3 output: samples per shard along time, a multiple of the chunk size; 0 for no shards
 */
public record RestrictRequest(Path input, InputKind inputKind, RawInput raw, Double samplingFrequency,
                              IntervalSet intervals, Path output, OutputFormat outputFormat,
                              Compression compression, int compressionLevel, int chunkSamples,
                              ConflictStrategy conflict, ZarrFormat zarrFormat, int shardSamples) {

    /** A request whose Zarr output has the source's format, without shards. */
    public RestrictRequest(Path input, InputKind inputKind, RawInput raw, Double samplingFrequency, IntervalSet intervals,
                           Path output, OutputFormat outputFormat, Compression compression, int compressionLevel,
                           int chunkSamples, ConflictStrategy conflict) {
        this(input, inputKind, raw, samplingFrequency, intervals, output, outputFormat, compression, compressionLevel,
                chunkSamples, conflict, null, 0);
    }

    public enum InputKind {
        /** SpikeInterface layout: group attrs {@code sampling_frequency}, arrays {@code traces_seg{i}}, optional {@code t_starts}. */
        ZARR_RECORDING,
        /** One Zarr array shaped (samples, channels); rate from the request or the attribute {@code sampling_frequency}. */
        ZARR_ARRAY,
        /** A headerless (or fixed-header) interleaved binary, e.g. Neuroscope .dat/.eeg/.lfp. */
        RAW;

        /** A Zarr group directory (v2 {@code .zgroup}, v3 {@code zarr.json}) is a recording, a Zarr array an array, a file is raw. */
        public static InputKind detect(Path input) {
            if (!Files.isDirectory(input)) {
                return RAW;
            }
            if (ZarrGroup.isGroup(input)) {
                return ZARR_RECORDING;
            }
            return ZarrArray.isArray(input) ? ZARR_ARRAY : RAW;
        }
    }

    public enum OutputFormat {
        /** A Zarr recording with one segment per interval that keeps samples. */
        ZARR,
        /** One interleaved binary of all kept samples, plus a JSON sidecar describing the segments. */
        RAW
    }

    /**
     * Layout of a raw interleaved recording.
     *
     * @param startTime time of the first sample in seconds (t0)
     * @param channelTable names, gains and groups from the recording's metadata, copied into a Zarr output
     */
    public record RawInput(int channels, double samplingFrequency, SampleType sampleType, ByteOrder byteOrder,
                           long headerBytes, double startTime, ChannelTable channelTable) {
        /** A raw recording with no metadata about its channels. */
        public RawInput(int channels, double samplingFrequency, SampleType sampleType, ByteOrder byteOrder, long headerBytes,
                        double startTime) {
            this(channels, samplingFrequency, sampleType, byteOrder, headerBytes, startTime, ChannelTable.NONE);
        }

        public RawInput {
            Objects.requireNonNull(channelTable, "channelTable");
            Objects.requireNonNull(sampleType, "sampleType");
            Objects.requireNonNull(byteOrder, "byteOrder");
        }
    }

    public RestrictRequest {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(inputKind, "inputKind");
        Objects.requireNonNull(intervals, "intervals");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(outputFormat, "outputFormat");
        Objects.requireNonNull(conflict, "conflict");
        if (shardSamples < 0) {
            throw new IllegalArgumentException("shardSamples must not be negative: " + shardSamples);
        }
        if (inputKind == InputKind.RAW) {
            Objects.requireNonNull(raw, "raw layout is required for a raw input");
        }
    }
}
