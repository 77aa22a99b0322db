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
     * Two-byte shuffle. Where PEXT is one fast instruction, eight elements at a time: two little-endian longs
     * hold elements i..i+7 and {@link Long#compress} gathers their low and high bytes, three times faster
     * than the byte loop. Int16 traces are the common case and the shuffle sits on the compression path.
     */
    private static void shuffle2(byte[] src, int srcOff, int count, byte[] dst, int dstOff) {
        int i = 0;
        if (BitGather.FAST) {
            for (; i + 8 <= count; i += 8) {
                long a = (long) LONG_LE.get(src, srcOff + 2 * i);
                long b = (long) LONG_LE.get(src, srcOff + 2 * i + 8);
                LONG_LE.set(dst, dstOff + i, Long.compress(a, LOW_BYTES) | Long.compress(b, LOW_BYTES) << 32);
                LONG_LE.set(dst, dstOff + count + i, Long.compress(a, HIGH_BYTES) | Long.compress(b, HIGH_BYTES) << 32);
            }
        }
        for (int s = srcOff + 2 * i; i < count; i++, s += 2) {
            dst[dstOff + i] = src[s];
            dst[dstOff + count + i] = src[s + 1];
        }
    }

    private static void unshuffle2(byte[] src, int srcOff, int count, byte[] dst, int dstOff) {
        int i = 0;
        if (BitGather.FAST) {
            for (; i + 8 <= count; i += 8) {
                long lo = (long) LONG_LE.get(src, srcOff + i);
                long hi = (long) LONG_LE.get(src, srcOff + count + i);
                LONG_LE.set(dst, dstOff + 2 * i, Long.expand(lo, LOW_BYTES) | Long.expand(hi, HIGH_BYTES));
                LONG_LE.set(dst, dstOff + 2 * i + 8, Long.expand(lo >>> 32, LOW_BYTES) | Long.expand(hi >>> 32, HIGH_BYTES));
            }
        }
        for (int d = dstOff + 2 * i; i < count; i++, d += 2) {
            dst[d] = src[srcOff + i];
            dst[d + 1] = src[srcOff + count + i];
        }
    }

    private static final long LOW_BYTES = 0x00FF00FF00FF00FFL;
    private static final long HIGH_BYTES = 0xFF00FF00FF00FF00L;

    /**
     * Whether {@link Long#compress} / {@link Long#expand} are fast here. HotSpot turns them into PEXT/PDEP
     * when it uses BMI2, but AMD's Zen 1 and 2 (family 0x17) run those in microcode, about a hundred times
     * slower, and without BMI2 the JDK loops over bits: then the plain byte loop is the better choice.
     */
    static final class BitGather {
        static final boolean FAST = detect();

        private BitGather() {
        }

        private static boolean detect() {
            try {
                var hotspot = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (hotspot == null || !"true".equals(hotspot.getVMOption("UseBMI2Instructions").getValue())) {
                    return false;
                }
                java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
                if (java.nio.file.Files.isReadable(cpuinfo)) {
                    try (var lines = java.nio.file.Files.lines(cpuinfo)) {
                        boolean[] amd = new boolean[1];
                        boolean[] zen12 = new boolean[1];
                        lines.limit(40).forEach(l -> {
                            amd[0] |= l.startsWith("vendor_id") && l.contains("AuthenticAMD");
                            zen12[0] |= l.startsWith("cpu family") && l.trim().endsWith(": 23");
                        });
                        return !(amd[0] && zen12[0]);
                    }
                }
                return true;
            } catch (RuntimeException | java.io.IOException | LinkageError e) {
                return false;
            }
        }
    }
}
