package org.nifimemmap.zarr;

import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * An array's filters and compressor applied to whole chunks, with the scratch buffers they need. Not
 * thread-safe: each worker owns one, so encoding allocates nothing per chunk. Close it to free the
 * codecs' native state.
 */
public final class ChunkPipeline implements AutoCloseable {
    private final List<Codec> filters;
    private final Codec compressor;
    private final int chunkBytes;
    private final byte[][] scratch;
    private final byte[] encoded;

    ChunkPipeline(List<Codec> filters, Codec compressor, int chunkBytes) {
        this.filters = List.copyOf(filters);
        this.compressor = compressor;
        this.chunkBytes = chunkBytes;
        int buffers = Math.min(2, filters.size());
        this.scratch = new byte[buffers][];
        for (int i = 0; i < buffers; i++) {
            scratch[i] = new byte[chunkBytes];
        }
        this.encoded = compressor == null ? null : new byte[compressor.maxEncodedLength(chunkBytes)];
    }

    /** Bytes of a decoded chunk. */
    public int chunkBytes() {
        return chunkBytes;
    }

    /** The encoded form of a chunk: valid until the next call on the same pipeline. */
    public record Encoded(byte[] array, int length) {
    }

    /** Encodes one full (padded) chunk of {@link #chunkBytes()} bytes; {@code raw} is left unchanged. */
    public Encoded encode(byte[] raw) {
        byte[] current = raw;
        for (int i = 0; i < filters.size(); i++) {
            byte[] out = scratch[i % scratch.length];
            filters.get(i).encode(current, chunkBytes, out);
            current = out;
        }
        if (compressor == null) {
            return new Encoded(current, chunkBytes);
        }
        return new Encoded(encoded, compressor.encode(current, chunkBytes, encoded));
    }

    /** Decodes a stored chunk into {@code dst[0, chunkBytes)}. */
    public void decode(byte[] stored, int length, byte[] dst) {
        if (dst.length < chunkBytes) {
            throw new IllegalArgumentException("chunk buffer of " + dst.length + " bytes is smaller than a chunk of " + chunkBytes);
        }
        int stages = filters.size() + (compressor == null ? 0 : 1);
        if (stages == 0) {
            if (length != chunkBytes) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "raw chunk holds " + length + " bytes, expected " + chunkBytes);
            }
            System.arraycopy(stored, 0, dst, 0, chunkBytes);
            return;
        }
        byte[] current = stored;
        int currentLength = length;
        for (int stage = 0; stage < stages; stage++) {
            Codec codec = compressor != null && stage == 0 ? compressor
                    : filters.get(filters.size() - 1 - (stage - (compressor == null ? 0 : 1)));
            byte[] out = stage == stages - 1 ? dst : scratchFor(current);
            codec.decode(current, currentLength, out, chunkBytes);
            current = out;
            currentLength = chunkBytes;
        }
    }

    /** Frees the codecs' native state. */
    @Override
    public void close() {
        filters.forEach(Codec::close);
        if (compressor != null) {
            compressor.close();
        }
    }

    private byte[] scratchFor(byte[] notThis) {
        if (scratch.length == 0) {
            throw new IllegalStateException("no scratch buffer for an intermediate stage");
        }
        return scratch[0] != notThis ? scratch[0] : scratch[scratch.length - 1];
    }
}
