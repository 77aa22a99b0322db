package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
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
}
