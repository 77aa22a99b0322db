package org.nifimemmap.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Position on a 3-D Hilbert curve: the curve of John Skilling's "Programming the Hilbert curve" (AIP Conf. Proc.
 * 707, 2004), computed by a finite-state machine instead of his loop, three bit levels per table lookup.
 * <p>
 * Skilling's loop, at each level from the top, inverts or exchanges the lower bits of the axes depending on that
 * level's bits, then Gray-decodes. What it has done to the lower bits by a given level is always an axis
 * permutation with reflections (one of 48), and the Gray step needs only the running parity of one axis, so the
 * whole algorithm is a walk through at most 96 states that emits 3 bits per level. The table is derived at class
 * load from those rules, not typed in; HilbertTest checks it against the loop as published for every bit count.
 * The loop's data-dependent branches cost about 150 ns per key; the walk about a tenth of that. The walk reads
 * the levels' octants from the Morton code of the cell (the coordinates' bits interleaved with shifts and masks),
 * nine bits at a time, so a 21-bit key is 7 lookups in a 96 KB table.
 */
final class Hilbert3D {
    /** For state s and octant o (x bit << 2 | y bit << 1 | z bit): next state << 3 | the level's 3 key bits. */
    private static final int[] ONE_LEVEL;
    /** As ONE_LEVEL for two levels: index s << 6 | o1 << 3 | o2, value next state << 6 | 6 key bits. */
    private static final int[] TWO_LEVELS;
    /** As TWO_LEVELS for three: index s << 9 | o1 << 6 | o2 << 3 | o3, value next state << 9 | 9 key bits. */
    private static final char[] THREE_LEVELS;

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
        if (n > 127) {
            throw new IllegalStateException("Hilbert walk has " + n + " states; the three-level table holds 7 bits of state");
        }
        THREE_LEVELS = new char[n << 9];
        for (int s = 0; s < n; s++) {
            for (int o12 = 0; o12 < 64; o12++) {
                int e12 = TWO_LEVELS[s << 6 | o12];
                for (int o3 = 0; o3 < 8; o3++) {
                    int e3 = ONE_LEVEL[(e12 >>> 6) * 8 + o3];
                    THREE_LEVELS[s << 9 | o12 << 3 | o3] = (char) ((e3 >>> 3) << 9 | (e12 & 63) << 3 | (e3 & 7));
                }
            }
        }
    }

    private Hilbert3D() {
    }

    /** Curve index of the cell (x, y, z), each coordinate in [0, 2^bits), bits in 1..21. */
    static long index(int x, int y, int z, int bits) {
        // Level j's octant (x bit << 2 | y bit << 1 | z bit) is bits 3j..3j+2 of the Morton code.
        long morton = spread(x) << 2 | spread(y) << 1 | spread(z);
        long h = 0;
        int state = 0;
        int j = bits;
        switch (bits % 3) {
            case 1 -> {
                int e = ONE_LEVEL[(int) (morton >>> 3 * (j - 1)) & 7];
                h = e & 7;
                state = e >>> 3;
                j -= 1;
            }
            case 2 -> {
                int e = TWO_LEVELS[(int) (morton >>> 3 * (j - 2)) & 63];
                h = e & 63;
                state = e >>> 6;
                j -= 2;
            }
            default -> {
            }
        }
        for (; j > 0; j -= 3) {
            int e = THREE_LEVELS[state << 9 | (int) (morton >>> 3 * (j - 3)) & 511];
            h = h << 9 | (e & 511);
            state = e >>> 9;
        }
        return h;
    }

    /**
     * {@link #index} of four cells, (x[i], y[i], z[i]) into out[o + i]. Each walk waits on its table lookups one
     * after another; four independent walks in one loop let those waits overlap (in a profile of the segment-index
     * build, keys went from 7.8 % to 4.6 % of the CPU: bench/results/build-speed.txt).
     */
    static void index4(int[] x, int[] y, int[] z, int bits, long[] out, int o) {
        long m0 = spread(x[0]) << 2 | spread(y[0]) << 1 | spread(z[0]);
        long m1 = spread(x[1]) << 2 | spread(y[1]) << 1 | spread(z[1]);
        long m2 = spread(x[2]) << 2 | spread(y[2]) << 1 | spread(z[2]);
        long m3 = spread(x[3]) << 2 | spread(y[3]) << 1 | spread(z[3]);
        long h0 = 0, h1 = 0, h2 = 0, h3 = 0;
        int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = bits;
        int first = bits % 3;
        if (first > 0) {
            // The top one or two levels, from the start state: the octant bits alone index the table.
            int[] table = first == 1 ? ONE_LEVEL : TWO_LEVELS;
            int width = 3 * first, mask = (1 << width) - 1, sh = 3 * (j - first);
            int e0 = table[(int) (m0 >>> sh) & mask], e1 = table[(int) (m1 >>> sh) & mask];
            int e2 = table[(int) (m2 >>> sh) & mask], e3 = table[(int) (m3 >>> sh) & mask];
            h0 = e0 & mask;
            h1 = e1 & mask;
            h2 = e2 & mask;
            h3 = e3 & mask;
            s0 = e0 >>> width;
            s1 = e1 >>> width;
            s2 = e2 >>> width;
            s3 = e3 >>> width;
            j -= first;
        }
        for (; j > 0; j -= 3) {
            int sh = 3 * (j - 3);
            int e0 = THREE_LEVELS[s0 << 9 | (int) (m0 >>> sh) & 511];
            int e1 = THREE_LEVELS[s1 << 9 | (int) (m1 >>> sh) & 511];
            int e2 = THREE_LEVELS[s2 << 9 | (int) (m2 >>> sh) & 511];
            int e3 = THREE_LEVELS[s3 << 9 | (int) (m3 >>> sh) & 511];
            h0 = h0 << 9 | (e0 & 511);
            h1 = h1 << 9 | (e1 & 511);
            h2 = h2 << 9 | (e2 & 511);
            h3 = h3 << 9 | (e3 & 511);
            s0 = e0 >>> 9;
            s1 = e1 >>> 9;
            s2 = e2 >>> 9;
            s3 = e3 >>> 9;
        }
        out[o] = h0;
        out[o + 1] = h1;
        out[o + 2] = h2;
        out[o + 3] = h3;
    }

    /** The low 21 bits of v, moved to every third bit (bit i to bit 3i). */
    private static long spread(int v) {
        long x = v & 0x1FFFFFL;
        x = (x | x << 32) & 0x1F00000000FFFFL;
        x = (x | x << 16) & 0x1F0000FF0000FFL;
        x = (x | x << 8) & 0x100F00F00F00F00FL;
        x = (x | x << 4) & 0x10C30C30C30C30C3L;
        return (x | x << 2) & 0x1249249249249249L;
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
