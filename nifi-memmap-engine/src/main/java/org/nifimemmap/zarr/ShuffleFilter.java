package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * numcodecs {@code Shuffle}: byte {@code j} of element {@code i} moves to {@code j * count + i}, so equal
 * high bytes of neighbouring samples become long runs that compressors squeeze well.
 */
public final class ShuffleFilter implements Codec {
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
            for (int i = 0, s = srcOff; i < count; i++, s += 2) {
                dst[dstOff + i] = src[s];
                dst[dstOff + count + i] = src[s + 1];
            }
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
        for (int j = 0; j < elementSize; j++) {
            int in = srcOff + j * count;
            for (int i = 0, d = dstOff + j; i < count; i++, d += elementSize) {
                dst[d] = src[in + i];
            }
        }
        int done = count * elementSize;
        System.arraycopy(src, srcOff + done, dst, dstOff + done, length - done);
    }
}
