package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HilbertTest {
    /** A Hilbert curve visits every cell once, and consecutive cells are face neighbours. */
    @Test
    void curveIsABijectionThroughNeighbouringCells() {
        int bits = 4, side = 1 << bits;
        Map<Long, int[]> cells = new HashMap<>();
        for (int x = 0; x < side; x++) {
            for (int y = 0; y < side; y++) {
                for (int z = 0; z < side; z++) {
                    cells.put(Hilbert3D.index(x, y, z, bits), new int[] {x, y, z});
                }
            }
        }
        assertEquals(side * side * side, cells.size());
        for (long h = 1; h < (long) side * side * side; h++) {
            int[] a = cells.get(h - 1), b = cells.get(h);
            int step = Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
            assertEquals(1, step, "cells " + (h - 1) + " and " + h);
        }
    }

    /** The state machine gives exactly the keys of Skilling's loop as published, for every bit count. */
    @Test
    void equalsSkillingsLoop() {
        Random rnd = new Random(1);
        for (int bits = 1; bits <= 21; bits++) {
            for (int i = 0; i < 20_000; i++) {
                int x = rnd.nextInt(1 << bits), y = rnd.nextInt(1 << bits), z = rnd.nextInt(1 << bits);
                assertEquals(skilling(x, y, z, bits), Hilbert3D.index(x, y, z, bits), bits + " bits: " + x + "," + y + "," + z);
            }
        }
    }

    /** Four walks at once give the keys of four walks one at a time. */
    @Test
    void fourAtOnceEqualsOneByOne() {
        Random rnd = new Random(2);
        int[] x = new int[4], y = new int[4], z = new int[4];
        long[] out = new long[6];
        for (int bits = 1; bits <= 21; bits++) {
            for (int i = 0; i < 5_000; i++) {
                for (int k = 0; k < 4; k++) {
                    x[k] = rnd.nextInt(1 << bits);
                    y[k] = rnd.nextInt(1 << bits);
                    z[k] = rnd.nextInt(1 << bits);
                }
                Hilbert3D.index4(x, y, z, bits, out, 1);
                for (int k = 0; k < 4; k++) {
                    assertEquals(Hilbert3D.index(x[k], y[k], z[k], bits), out[1 + k], bits + " bits, walk " + k);
                }
            }
        }
    }

    private static long skilling(int x, int y, int z, int bits) {
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
