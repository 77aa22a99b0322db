package org.nifimemmap.restrict;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.nifimemmap.zarr.Codec;
import org.nifimemmap.zarr.Codecs;

/**
 * An array's filters and compressor for chunks of any size up to a maximum. Segments shorter than a chunk
 * get shorter chunks; one encoder (with its native compression context and scratch space) serves them all,
 * so a thousand short intervals do not create a thousand contexts. Not thread-safe.
 */
final class ChunkEncoder implements AutoCloseable {
    /** The encoded bytes, valid until the next call. */
    record Encoded(byte[] array, int length) {
    }

    private final List<Codec> filters = new ArrayList<>();
    private final Codec compressor;
    private final byte[][] scratch;
    private final byte[] encoded;

    ChunkEncoder(JsonNode compressorConfig, List<JsonNode> filterConfigs, int itemSize, int maxChunkBytes) {
        int bound = maxChunkBytes;
        for (JsonNode f : filterConfigs) {
            Codec c = Codecs.fromConfig(f, itemSize);
            filters.add(c);
            bound = Math.max(bound, c.maxEncodedLength(bound));
        }
        this.compressor = compressorConfig == null || compressorConfig.isNull() ? null : Codecs.fromConfig(compressorConfig, itemSize);
        this.scratch = new byte[Math.min(2, filters.size())][bound];
        this.encoded = compressor == null ? null : new byte[compressor.maxEncodedLength(bound)];
    }

    Encoded encode(byte[] raw, int length) {
        byte[] current = raw;
        int n = length;
        for (int i = 0; i < filters.size(); i++) {
            byte[] out = scratch[i % scratch.length];
            n = filters.get(i).encode(current, n, out);
            current = out;
        }
        if (compressor == null) {
            return new Encoded(current, n);
        }
        return new Encoded(encoded, compressor.encode(current, n, encoded));
    }

    /** Frees the codecs' native state. */
    @Override
    public void close() {
        filters.forEach(Codec::close);
        if (compressor != null) {
            compressor.close();
        }
    }
}
