package org.nifimemmap.index;

/** Position on a 3-D Hilbert curve (John Skilling, "Programming the Hilbert curve", AIP Conf. Proc. 707, 2004). */
final class Hilbert3D {
    private Hilbert3D() {
    }

    /** Curve index of the cell (x, y, z), each coordinate in [0, 2^bits), bits in 1..21. */
    static long index(int x, int y, int z, int bits) {
        int[] a = {x, y, z};
        int m = 1 << (bits - 1);
        for (int q = m; q > 1; q >>= 1) {
            int p = q - 1;
            for (int i = 0; i < 3; i++) {
                if ((a[i] & q) != 0) {
                    a[0] ^= p;
                } else {
                    int t = (a[0] ^ a[i]) & p;
                    a[0] ^= t;
                    a[i] ^= t;
                }
            }
        }
        a[1] ^= a[0];
        a[2] ^= a[1];
        int t = 0;
        for (int q = m; q > 1; q >>= 1) {
            if ((a[2] & q) != 0) {
                t ^= q - 1;
            }
        }
        a[0] ^= t;
        a[1] ^= t;
        a[2] ^= t;
        long h = 0;
        for (int j = bits - 1; j >= 0; j--) {
            h = (h << 3) | (((a[0] >>> j) & 1L) << 2) | (((a[1] >>> j) & 1L) << 1) | ((a[2] >>> j) & 1L);
        }
        return h;
    }
}
