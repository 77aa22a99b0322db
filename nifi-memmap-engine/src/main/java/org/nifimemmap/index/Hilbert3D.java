package org.nifimemmap.index;

/** Position on a 3-D Hilbert curve (John Skilling, "Programming the Hilbert curve", AIP Conf. Proc. 707, 2004). */
final class Hilbert3D {
    private Hilbert3D() {
    }

    /** Curve index of the cell (x, y, z), each coordinate in [0, 2^bits), bits in 1..21. */
    static long index(int x, int y, int z, int bits) {
        int a0 = x, a1 = y, a2 = z;
        int m = 1 << (bits - 1);
        // Inverse undo: per bit level, invert or exchange low bits (Skilling's loop over axes, unrolled).
        for (int q = m; q > 1; q >>= 1) {
            int p = q - 1;
            if ((a0 & q) != 0) {
                a0 ^= p;
            }
            if ((a1 & q) != 0) {
                a0 ^= p;
            } else {
                int t = (a0 ^ a1) & p;
                a0 ^= t;
                a1 ^= t;
            }
            if ((a2 & q) != 0) {
                a0 ^= p;
            } else {
                int t = (a0 ^ a2) & p;
                a0 ^= t;
                a2 ^= t;
            }
        }
        // Gray encode.
        a1 ^= a0;
        a2 ^= a1;
        int t = 0;
        for (int q = m; q > 1; q >>= 1) {
            if ((a2 & q) != 0) {
                t ^= q - 1;
            }
        }
        a0 ^= t;
        a1 ^= t;
        a2 ^= t;
        long h = 0;
        for (int j = bits - 1; j >= 0; j--) {
            h = (h << 3) | (((a0 >>> j) & 1L) << 2) | (((a1 >>> j) & 1L) << 1) | ((a2 >>> j) & 1L);
        }
        return h;
    }
}
