package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;

/**
 * numcodecs {@code Zstd}: one zstd frame per chunk. The frame carries its content size, which numcodecs
 * 0.11 needs to decode it.
 */
public final class ZstdCodec implements Codec {
    /** libzstd's own default level. */
    public static final int DEFAULT_LEVEL = 3;

    private final int level;
    private ZstdCompressCtx compressor;
    private ZstdDecompressCtx decompressor;

    public ZstdCodec(int level) {
        if (level < -131072 || level > Zstd.maxCompressionLevel()) {
            throw new IllegalArgumentException("zstd level must be at most " + Zstd.maxCompressionLevel() + ": " + level);
        }
        this.level = level;
    }

    @Override
    public ObjectNode config() {
        return Json.object().put("id", "zstd").put("level", level);
    }

    @Override
    public int maxEncodedLength(int length) {
        return Math.toIntExact(Zstd.compressBound(length));
    }

    @Override
    public int encode(byte[] src, int length, byte[] dst) {
        if (compressor == null) {
            compressor = new ZstdCompressCtx().setLevel(level).setContentSize(true);
        }
        return compressor.compressByteArray(dst, 0, dst.length, src, 0, length);
    }

    @Override
    public void decode(byte[] src, int length, byte[] dst, int decodedLength) {
        if (decompressor == null) {
            decompressor = new ZstdDecompressCtx();
        }
        int n;
        try {
            n = decompressor.decompressByteArray(dst, 0, decodedLength, src, 0, length);
        } catch (ZstdException e) {
            throw Codecs.corrupt("zstd", e.getMessage());
        }
        if (n != decodedLength) {
            throw Codecs.corrupt("zstd", "decoded to " + n + " bytes, expected " + decodedLength);
        }
    }

    @Override
    public void close() {
        if (compressor != null) {
            compressor.close();
            compressor = null;
        }
        if (decompressor != null) {
            decompressor.close();
            decompressor = null;
        }
    }
}
