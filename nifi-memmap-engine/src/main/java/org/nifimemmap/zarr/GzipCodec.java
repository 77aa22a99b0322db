package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/** numcodecs {@code GZip}: one gzip member (RFC 1952) per chunk. */
public final class GzipCodec implements Codec {
    /** numcodecs' default. */
    public static final int DEFAULT_LEVEL = 1;
    private static final int HEADER = 10;
    private static final int TRAILER = 8;

    private final int level;
    private final CRC32 crc = new CRC32();
    private Deflater deflater;
    private Inflater inflater;

    public GzipCodec(int level) {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("gzip level must be 0..9: " + level);
        }
        this.level = level;
    }

    @Override
    public ObjectNode config() {
        return Json.object().put("id", "gzip").put("level", level);
    }

    @Override
    public int maxEncodedLength(int length) {
        return HEADER + Deflate.bound(length) + TRAILER;
    }

    @Override
    public int encode(byte[] src, int length, byte[] dst) {
        if (deflater == null) {
            deflater = new Deflater(level, true);
        }
        byte[] header = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
        System.arraycopy(header, 0, dst, 0, HEADER);
        int n = HEADER + Deflate.deflate(deflater, src, length, dst, HEADER);
        crc.reset();
        crc.update(src, 0, length);
        Deflate.putIntLE(dst, n, (int) crc.getValue());
        Deflate.putIntLE(dst, n + 4, length);
        return n + TRAILER;
    }

    @Override
    public void decode(byte[] src, int length, byte[] dst, int decodedLength) {
        if (length < HEADER + TRAILER || (src[0] & 0xff) != 0x1f || (src[1] & 0xff) != 0x8b || src[2] != 8) {
            throw Codecs.corrupt("gzip", "no gzip header");
        }
        int flags = src[3] & 0xff;
        int pos = HEADER;
        if ((flags & 4) != 0) {
            pos += 2 + ((src[pos] & 0xff) | (src[pos + 1] & 0xff) << 8);
        }
        if ((flags & 8) != 0) {
            while (pos < length && src[pos++] != 0) { /* file name */ }
        }
        if ((flags & 16) != 0) {
            while (pos < length && src[pos++] != 0) { /* comment */ }
        }
        if ((flags & 2) != 0) {
            pos += 2;
        }
        if (pos > length - TRAILER) {
            throw Codecs.corrupt("gzip", "header fields run past the end of the data");
        }
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        Deflate.inflate(inflater, "gzip", src, pos, length - pos - TRAILER, dst, 0, decodedLength);
        crc.reset();
        crc.update(dst, 0, decodedLength);
        if (Deflate.getIntLE(src, length - TRAILER) != (int) crc.getValue()) {
            throw Codecs.corrupt("gzip", "CRC32 mismatch");
        }
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

    /** Deflate helpers shared by the gzip and zlib codecs. */
    static final class Deflate {
        private Deflate() {
        }

        static int bound(int length) {
            // zlib's deflateBound for stored blocks plus slack: 5 bytes per 16 KiB block.
            return length + (length >> 12) + (length >> 14) + (length >> 25) + 64;
        }

        static int deflate(Deflater deflater, byte[] src, int length, byte[] dst, int off) {
            deflater.reset();
            deflater.setInput(src, 0, length);
            deflater.finish();
            int n = 0;
            while (!deflater.finished()) {
                int k = deflater.deflate(dst, off + n, dst.length - off - n);
                if (k == 0 && off + n == dst.length) {
                    throw new IllegalStateException("deflate output buffer too small");
                }
                n += k;
            }
            return n;
        }

        static void inflate(Inflater inflater, String codec, byte[] src, int off, int length, byte[] dst, int dstOff, int decodedLength) {
            inflater.reset();
            inflater.setInput(src, off, Math.max(0, length));
            int n = 0;
            try {
                while (!inflater.finished() && n < decodedLength) {
                    int k = inflater.inflate(dst, dstOff + n, decodedLength - n);
                    if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        break;
                    }
                    n += k;
                }
                if (!inflater.finished() && inflater.inflate(new byte[1]) > 0) {
                    throw Codecs.corrupt(codec, "decodes to more than " + decodedLength + " bytes");
                }
            } catch (DataFormatException e) {
                throw Codecs.corrupt(codec, e.getMessage());
            }
            if (n != decodedLength || !inflater.finished()) {
                throw Codecs.corrupt(codec, "decoded to " + n + " bytes, expected " + decodedLength
                        + (inflater.finished() ? "" : " (stream truncated)"));
            }
        }

        static void putIntLE(byte[] b, int off, int v) {
            b[off] = (byte) v;
            b[off + 1] = (byte) (v >>> 8);
            b[off + 2] = (byte) (v >>> 16);
            b[off + 3] = (byte) (v >>> 24);
        }

        static int getIntLE(byte[] b, int off) {
            return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
        }
    }
}
