package org.nifimemmap.intervals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PynappleTimeTest {
    @Test
    void roundsExactlyAsNumpyRound9() throws Exception {
        Random rnd = new Random(42);
        StringBuilder in = new StringBuilder();
        int n = 200_000;
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            double x = switch (i % 5) {
                case 0 -> rnd.nextDouble() * 1e4;
                // exact half-nanosecond ties in decimal, where half-even vs half-up differ
                case 1 -> (rnd.nextInt(2_000_000) + 0.5) * 1e-9 * (rnd.nextBoolean() ? 1 : -1);
                case 2 -> Math.scalb(rnd.nextDouble(), rnd.nextInt(80) - 40) * (rnd.nextBoolean() ? 1 : -1);
                case 3 -> rnd.nextLong(100_000_000_000L) / 1e10 + 5e-10;
                default -> rnd.nextInt(1_000_000) / 20_000.0 + rnd.nextInt(3) * 1e-10;
            };
            xs[i] = x;
            in.append(Long.toHexString(Double.doubleToRawLongBits(x))).append('\n');
        }
        String out = SystemPython.run("""
                import sys, numpy as np
                bits = np.array([int(l, 16) for l in sys.stdin.read().split()], dtype=np.uint64)
                r = np.round(bits.view(np.float64), 9)
                sys.stdout.write("\\n".join("%x" % b for b in r.view(np.uint64)))
                """, in.toString());
        String[] lines = out.split("\n");
        assertEquals(n, lines.length);
        for (int i = 0; i < n; i++) {
            double expected = Double.longBitsToDouble(Long.parseUnsignedLong(lines[i], 16));
            assertEquals(expected, PynappleTime.round(xs[i]), "np.round(" + xs[i] + ", 9)");
        }
    }

    @Test
    void sampleTimeDividesThenAddsThenRounds() {
        // 1/3 s at 3 Hz from t0 = 0.1: 1/3 + 0.1 = 0.43333333333333335, rounded to 0.433333333
        assertEquals(0.433333333, PynappleTime.sampleTime(1, 0.1, 3.0));
        assertEquals(2.0, PynappleTime.sampleTime(2000, 0, 1000));
    }
}
