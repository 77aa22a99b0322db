package org.nifimemmap.index;

/**
 * Position on a 3-D Hilbert curve (John Skilling, "Programming the Hilbert curve", AIP Conf. Proc. 707, 2004).
 * Skilling's loop is written without data-dependent branches and the final bit interleave with magic-number
 * spreading: the build computes one key per element, and the branchy form cost a third of a segment index build.
 */
final class Hilbert3D {
    private Hilbert3D() {
    }

    /** Curve index of the cell (x, y, z), each coordinate in [0, 2^bits), bits in 1..21. */
    static long index(int x, int y, int z, int bits) {
        for (int s = bits - 1; s > 0; s--) {
            int p = (1 << s) - 1;
            // Per axis: if its bit s is set, invert x's low bits; else exchange the low bits of x and that axis.
            x ^= p & -((x >>> s) & 1);
            int set = -((y >>> s) & 1);
            int t = (x ^ y) & p & ~set;
            x ^= (p & set) | t;
            y ^= t;
            set = -((z >>> s) & 1);
            t = (x ^ z) & p & ~set;
            x ^= (p & set) | t;
            z ^= t;
        }
        y ^= x;
        z ^= y;
        int t = 0;
        for (int s = bits - 1; s > 0; s--) {
            t ^= ((1 << s) - 1) & -((z >>> s) & 1);
        }
        x ^= t;
        y ^= t;
        z ^= t;
        return spread(x) << 2 | spread(y) << 1 | spread(z);
    }

    /** Moves bit j of a 21-bit value to bit 3j. */
    private static long spread(int v) {
        long b = v & 0x1fffffL;
        b = (b | b << 32) & 0x1f00000000ffffL;
        b = (b | b << 16) & 0x1f0000ff0000ffL;
        b = (b | b << 8) & 0x100f00f00f00f00fL;
        b = (b | b << 4) & 0x10c30c30c30c30c3L;
        b = (b | b << 2) & 0x1249249249249249L;
        return b;
    }
}
