package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** numcodecs {@code Zlib}: one zlib stream (RFC 1950) per chunk. */
public final class ZlibCodec implements Codec {
    private final int level;
    private Deflater deflater;
    private Inflater inflater;

    public ZlibCodec(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("zlib level must be 0..9: " + level);
        }
        this.level = level;
    }

    @Override
    public ObjectNode config() {
        return Json.object().put("id", "zlib").put("level", level);
    }

    @Override
    public int maxEncodedLength(int length) {
        return GzipCodec.Deflate.bound(length) + 6;
    }

    @Override
    public int encode(byte[] src, int length, byte[] dst) {
        if (deflater == null) {
            deflater = new Deflater(level, false);
        }
        return GzipCodec.Deflate.deflate(deflater, src, length, dst, 0);
    }

    @Override
    public void decode(byte[] src, int length, byte[] dst, int decodedLength) {
        if (inflater == null) {
            inflater = new Inflater(false);
        }
        GzipCodec.Deflate.inflate(inflater, "zlib", src, 0, length, dst, 0, decodedLength);
    }

    @Override
    public void close() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }
}
