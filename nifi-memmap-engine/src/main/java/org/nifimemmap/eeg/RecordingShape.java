package org.nifimemmap.eeg;

import java.nio.ByteOrder;
import java.nio.file.Path;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.ZarrFormat;

/**
 * Channels, rate, sample layout, sample count and chunking of one recording, from the request or the recording's
 * metadata file (values in the request win), checked against the input's size.
 *
 * @param shardSamples   samples per shard (v3), a multiple of {@code chunkSamples}; 0 when chunks are files of their own
 * @param parametersFrom "request" or the path of the metadata file that gave channels or rate
 */
record RecordingShape(RecordingMetadata metadata, int channels, double samplingRate, SampleType sampleType, ByteOrder byteOrder,
                      long headerBytes, long samples, int frameBytes, int chunkSamples, int shardSamples, String parametersFrom) {

    static RecordingShape of(EegConversionRequest request, RecordingMetadata metadata, long inputBytes) {
        Path input = metadata.data();
        Integer channels = request.channels() != null ? request.channels() : metadata.channels();
        Double rate = request.samplingRate() != null ? request.samplingRate() : metadata.samplingRate();
        if (channels == null || rate == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "No " + (channels == null ? "channel count" : "sampling rate")
                    + " given for " + input + " and no metadata file beside it (Neuroscope parameter file "
                    + NeuroscopeParameters.xmlBeside(input) + ", SpikeGLX " + SpikeGlxMeta.metaBeside(input)
                    + " or Open Ephys " + OpenEphysStructure.FILE_NAME + ")");
        }
        boolean fromRequest = request.channels() != null && request.samplingRate() != null || metadata.metadataFile() == null;
        String from = fromRequest ? "request" : metadata.metadataFile().toString();
        String where = fromRequest ? "" : " (from " + from + ")";
        if (channels <= 0 || channels > EegConverter.MAX_CHANNELS) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Channel count " + channels + where + " for " + input
                    + " is outside 1.." + EegConverter.MAX_CHANNELS);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sampling rate " + rate + where + " for " + input
                    + " must be a positive finite number of samples per second");
        }
        int described = metadata.table().channels();
        if (described >= 0 && described != channels) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Number of Channels " + channels + " for " + input + " differs from the "
                    + described + " channels its metadata " + metadata.metadataFile() + " describes");
        }
        if (metadata.dataBytes() != null && metadata.dataBytes() != inputBytes) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Recording " + input + " holds " + inputBytes + " bytes, but "
                    + metadata.metadataFile() + " says fileSizeBytes=" + metadata.dataBytes()
                    + " (a recording still being written, or the wrong metadata)");
        }
        // SpikeGLX and Open Ephys write int16, little-endian, without a header; their metadata fixes the layout.
        boolean fixed = metadata.sampleType() != null;
        SampleType type = fixed ? metadata.sampleType() : request.sampleType();
        ByteOrder order = fixed ? ByteOrder.LITTLE_ENDIAN : request.byteOrder();
        long header = fixed ? 0 : request.headerBytes();
        if (header < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Header bytes must not be negative: " + header);
        }
        if (header >= inputBytes) {
            throw new MemmapException(header > inputBytes ? ErrorKind.INVALID_CONFIG : ErrorKind.INVALID_INPUT,
                    "Header of " + header + " bytes " + (header > inputBytes ? "is larger than" : "leaves no samples in")
                            + " recording " + input + " of " + inputBytes + " bytes");
        }
        int frameBytes = channels * type.bytes();
        long payload = inputBytes - header;
        long leftover = payload % frameBytes;
        if (leftover != 0) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Recording " + input + " holds " + payload + " bytes after its "
                    + header + "-byte header, not a whole number of frames of " + channels + " channels x "
                    + type.bytes() + " bytes (" + frameBytes + " bytes): " + leftover
                    + " bytes left over. Check the channel count, sample type and header size.");
        }
        long samples = payload / frameBytes;
        int chunkSamples = request.chunkSamples();
        if (chunkSamples < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Chunk samples must be positive, or 0 for the default: " + chunkSamples);
        }
        int shardSamples = request.shardSamples();
        if (shardSamples < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shard size must be positive, or 0 for no shards: " + shardSamples);
        }
        if (shardSamples > 0 && request.zarrFormat() != ZarrFormat.V3) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shards of " + shardSamples + " samples need Zarr format v3;"
                    + " a Zarr v2 store has one file per chunk");
        }
        if (chunkSamples == 0) {
            int byDefault = Math.max(1, EegConverter.DEFAULT_CHUNK_BYTES / frameBytes);
            // Chunks must tile the shards: the largest divisor of the shard size that is not above the default.
            chunkSamples = shardSamples > 0 ? largestDivisorAtMost(shardSamples, byDefault) : byDefault;
            if (chunkSamples < byDefault / 16 && chunkSamples < shardSamples) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shard size " + shardSamples + " samples has no divisor near the"
                        + " default chunk size of " + byDefault + " samples (the largest is " + chunkSamples + "): set the chunk size,"
                        + " or a shard size that is a multiple of it, e.g. " + (long) byDefault * Math.max(1, shardSamples / byDefault));
            }
        }
        if ((long) chunkSamples * frameBytes > EegConverter.MAX_CHUNK_BYTES) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Chunks of " + chunkSamples + " samples x " + frameBytes
                    + " bytes per frame exceed " + (EegConverter.MAX_CHUNK_BYTES >> 20) + " MiB");
        }
        if (shardSamples % chunkSamples != 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shard size " + shardSamples + " samples is not a multiple of the chunk size "
                    + chunkSamples + " samples: a shard holds whole chunks (e.g. shard size " + (long) chunkSamples * Math.max(1, shardSamples / chunkSamples) + ")");
        }
        if (chunkSamples >= samples) {
            // A chunk longer than the recording would only add padding; one chunk is then the whole store.
            chunkSamples = (int) samples;
            shardSamples = shardSamples > 0 ? chunkSamples : 0;
        } else if (shardSamples > samples) {
            // Nor a shard longer than the chunks the recording fills.
            shardSamples = (int) ((samples + chunkSamples - 1) / chunkSamples * chunkSamples);
        }
        return new RecordingShape(metadata, channels, rate, type, order, header, samples, frameBytes, chunkSamples, shardSamples, from);
    }

    private static int largestDivisorAtMost(int n, int limit) {
        for (int d = Math.min(n, limit); d > 1; d--) {
            if (n % d == 0) {
                return d;
            }
        }
        return 1;
    }

    EegConversionResult result(Path zarr, long inputBytes, long outputBytes, boolean skipped, boolean replaced, String fingerprint) {
        return new EegConversionResult(zarr, channels, samples, samplingRate, samples / samplingRate, inputBytes, outputBytes,
                skipped, replaced, fingerprint, metadata.format(), metadata.table().uniformGain());
    }
}
