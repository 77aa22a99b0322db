package org.nifimemmap.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Position on a 3-D Hilbert curve: the curve of John Skilling's "Programming the Hilbert curve" (AIP Conf. Proc.
 * 707, 2004), computed by a finite-state machine instead of his loop, two bit levels per table lookup.
 * <p>
 * Skilling's loop, at each level from the top, inverts or exchanges the lower bits of the axes depending on that
 * level's bits, then Gray-decodes. What it has done to the lower bits by a given level is always an axis
 * permutation with reflections (one of 48), and the Gray step needs only the running parity of one axis, so the
 * whole algorithm is a walk through at most 96 states that emits 3 bits per level. The table is derived at class
 * load from those rules, not typed in; HilbertTest checks it against the loop as published for every bit count.
 * The loop's data-dependent branches cost about 150 ns per key; the walk about a tenth of that.
 */
final class Hilbert3D {
    /** For state s and octant o (x bit << 2 | y bit << 1 | z bit): next state << 3 | the level's 3 key bits. */
    private static final int[] ONE_LEVEL;
    /** As ONE_LEVEL for two levels: index s << 6 | o1 << 3 | o2, value next state << 6 | 6 key bits. */
    private static final int[] TWO_LEVELS;

    static {
        List<State> states = new ArrayList<>();
        Map<State, Integer> ids = new HashMap<>();
        State start = new State(new int[] {0, 1, 2}, new int[3], 0);
        states.add(start);
        ids.put(start, 0);
        List<int[]> rows = new ArrayList<>();
        for (int s = 0; s < states.size(); s++) {
            int[] row = new int[8];
            for (int octant = 0; octant < 8; octant++) {
                State from = states.get(s);
                int[] raw = {(octant >> 2) & 1, (octant >> 1) & 1, octant & 1};
                int[] b = new int[3];
                for (int i = 0; i < 3; i++) {
                    b[i] = raw[from.perm[i]] ^ from.flip[i];
                }
                State next = from.afterLevel(b);
                Integer id = ids.get(next);
                if (id == null) {
                    id = states.size();
                    states.add(next);
                    ids.put(next, id);
                }
                int g0 = b[0], g1 = b[1] ^ b[0], g2 = b[2] ^ b[1] ^ b[0];
                int p = from.parity;
                row[octant] = id << 3 | (g0 ^ p) << 2 | (g1 ^ p) << 1 | (g2 ^ p);
            }
            rows.add(row);
        }
        int n = states.size();
        ONE_LEVEL = new int[n * 8];
        for (int s = 0; s < n; s++) {
            System.arraycopy(rows.get(s), 0, ONE_LEVEL, s * 8, 8);
        }
        TWO_LEVELS = new int[n * 64];
        for (int s = 0; s < n; s++) {
            for (int o1 = 0; o1 < 8; o1++) {
                int e1 = ONE_LEVEL[s * 8 + o1];
                for (int o2 = 0; o2 < 8; o2++) {
                    int e2 = ONE_LEVEL[(e1 >>> 3) * 8 + o2];
                    TWO_LEVELS[s << 6 | o1 << 3 | o2] = (e2 >>> 3) << 6 | (e1 & 7) << 3 | (e2 & 7);
                }
            }
        }
    }

    private Hilbert3D() {
    }

    /** Curve index of the cell (x, y, z), each coordinate in [0, 2^bits), bits in 1..21. */
    static long index(int x, int y, int z, int bits) {
        long h = 0;
        int state = 0;
        int j = bits - 1;
        if ((bits & 1) != 0) {
            int e = ONE_LEVEL[octant(x, y, z, j)];
            h = e & 7;
            state = e >>> 3;
            j--;
        }
        for (; j > 0; j -= 2) {
            int e = TWO_LEVELS[state << 6 | octant(x, y, z, j) << 3 | octant(x, y, z, j - 1)];
            h = h << 6 | (e & 63);
            state = e >>> 6;
        }
        return h;
    }

    private static int octant(int x, int y, int z, int level) {
        return ((x >>> level) & 1) << 2 | ((y >>> level) & 1) << 1 | ((z >>> level) & 1);
    }

    /**
     * What Skilling's loop has done to the lower bits so far: lower bit of axis i is the raw bit of axis perm[i],
     * inverted if flip[i]; parity is the XOR of the Gray-coded third axis over the levels above.
     */
    private record State(int[] perm, int[] flip, int parity) {
        /** The loop at one level, given that level's (transformed) bits b, and the Gray parity update. */
        State afterLevel(int[] b) {
            int[] p = perm.clone();
            int[] f = flip.clone();
            for (int i = 0; i < 3; i++) {
                if (b[i] != 0) {
                    f[0] ^= 1;
                } else if (i != 0) {
                    int tp = p[0], tf = f[0];
                    p[0] = p[i];
                    f[0] = f[i];
                    p[i] = tp;
                    f[i] = tf;
                }
            }
            return new State(p, f, parity ^ b[2] ^ b[1] ^ b[0]);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && java.util.Arrays.equals(perm, s.perm) && java.util.Arrays.equals(flip, s.flip)
                    && parity == s.parity;
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(perm) * 31 * 31 + java.util.Arrays.hashCode(flip) * 31 + parity;
        }
    }
}
