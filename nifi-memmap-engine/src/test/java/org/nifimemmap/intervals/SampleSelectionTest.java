package org.nifimemmap.intervals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** pynapple's restrict: keep t when start <= t <= end, with t = round9(i / fs + t0). */
class SampleSelectionTest {
    private static final SampleClock KHZ = new SampleClock(0, 1000, 10_000);

    private static List<long[]> select(SampleClock clock, double[] starts, double[] ends) {
        List<long[]> out = new ArrayList<>();
        for (SampleRange r : SampleSelection.select(IntervalSet.of(starts, ends), clock)) {
            out.add(new long[] {r.first(), r.count()});
        }
        return out;
    }

    private static void assertRanges(List<long[]> actual, long... firstCountPairs) {
        assertEquals(firstCountPairs.length / 2, actual.size(), "number of ranges");
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(firstCountPairs[2 * i], actual.get(i)[0], "first sample of range " + i);
            assertEquals(firstCountPairs[2 * i + 1], actual.get(i)[1], "sample count of range " + i);
        }
    }

    @Test
    void boundariesOnSampleTimesAreInclusive() {
        assertRanges(select(KHZ, new double[] {1.0}, new double[] {1.002}), 1000, 3);
    }

    @Test
    void boundariesBetweenSamplesKeepOnlyInnerSamples() {
        assertRanges(select(KHZ, new double[] {1.0005}, new double[] {1.0025}), 1001, 2);
        assertRanges(select(KHZ, new double[] {1.0001}, new double[] {1.0009}));
    }

    @Test
    void unsortedAndOverlappingIntervalsAreNormalisedFirst() {
        assertRanges(select(KHZ, new double[] {2.0, 1.0, 1.005}, new double[] {2.001, 1.010, 1.012}), 1000, 13, 2000, 2);
    }

    @Test
    void touchingIntervalsDoNotShareTheBoundarySample() {
        // the first end becomes 0.009999, so sample 10 (t = 0.010) belongs to the second interval only
        assertRanges(select(KHZ, new double[] {0, 0.010}, new double[] {0.010, 0.020}), 0, 10, 10, 11);
    }

    @Test
    void zeroLengthAndReversedIntervalsKeepNothing() {
        assertRanges(select(KHZ, new double[] {0.5}, new double[] {0.5}));
        assertRanges(select(KHZ, new double[] {0.5, 0.7}, new double[] {0.6, 0.65}), 500, 101);
    }

    @Test
    void negativeAndBeyondTheEndIntervalsAreClipped() {
        assertRanges(select(KHZ, new double[] {-1}, new double[] {0.002}), 0, 3);
        assertRanges(select(KHZ, new double[] {9.998}, new double[] {20}), 9998, 2);
        assertRanges(select(KHZ, new double[] {-5, 11}, new double[] {-1, 12}));
    }

    @Test
    void fiveThousandTinyIntervalsKeepOneSampleEach() {
        int n = 5000;
        double[] s = new double[n];
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            s[k] = k * 0.002 - 0.0002;
            e[k] = k * 0.002 + 0.0002;
        }
        List<SampleRange> ranges = SampleSelection.select(IntervalSet.of(s, e), new SampleClock(0, 1000, 20_000));
        assertEquals(n, ranges.size());
        for (int k = 0; k < n; k++) {
            assertEquals(2L * k, ranges.get(k).first());
            assertEquals(1, ranges.get(k).count());
            assertEquals(k, ranges.get(k).interval());
        }
    }

    @Test
    void nonIntegerRate() {
        // 2001 / 1000.5 is exactly 2.0, so the end falls on a sample; 1000 / 1000.5 < 1 <= 1001 / 1000.5
        assertRanges(select(new SampleClock(0, 1000.5, 5000), new double[] {1.0}, new double[] {2.0}), 1001, 1001);
    }

    @Test
    void sampleTimesAreRoundedLikePynapplesTimeIndex() {
        // 2 / 10 + 0.1 = 0.30000000000000004, which pynapple rounds to 0.3: sample 2 is inside [0.25, 0.3]
        assertRanges(select(new SampleClock(0.1, 10, 100), new double[] {0.25}, new double[] {0.3}), 2, 1);
        // 1/3 = 0.333... rounds to 0.333333333, so an end at 0.333333333 keeps sample 1
        assertRanges(select(new SampleClock(0, 3, 10), new double[] {0.1}, new double[] {0.333333333}), 1, 1);
    }

    @Test
    void firstTimeIsThePynappleTimestamp() {
        SampleRange r = SampleSelection.select(IntervalSet.of(new double[] {0.25}, new double[] {0.5}),
                new SampleClock(0.1, 10, 100)).get(0);
        assertEquals(0.3, r.firstTime());
    }

    @Test
    void emptyRecordingKeepsNothing() {
        assertTrue(SampleSelection.select(IntervalSet.of(new double[] {0}, new double[] {1}), new SampleClock(0, 1000, 0)).isEmpty());
    }

    @Test
    void searchesAgreeWithALinearScanNearEverySampleTime() {
        // Rates and offsets where the closed form (x - t0) * fs is off by rounding, and many equal rounded times.
        SampleClock[] clocks = {new SampleClock(0, 1000.5, 3000), new SampleClock(1e6 + 0.123, 30000, 3000),
                new SampleClock(-7.3, 1000 / 3.0, 3000), new SampleClock(0.5, 3e9, 3000), new SampleClock(1e-9 / 3, 24414.0625, 3000)};
        Random rnd = new Random(5);
        for (SampleClock clock : clocks) {
            for (int k = 0; k < 2000; k++) {
                double t = clock.time(rnd.nextInt(3000));
                double x = switch (k % 4) {
                    case 0 -> t;
                    case 1 -> Math.nextUp(t);
                    case 2 -> Math.nextDown(t);
                    default -> t + (rnd.nextDouble() - 0.5) / clock.samplingFrequency();
                };
                long left = 0;
                while (left < clock.sampleCount() && clock.time(left) < x) {
                    left++;
                }
                long right = 0;
                while (right < clock.sampleCount() && clock.time(right) <= x) {
                    right++;
                }
                assertEquals(left, clock.firstAtOrAfter(x), "left search for " + x + " in " + clock);
                assertEquals(right, clock.firstAfter(x), "right search for " + x + " in " + clock);
            }
            assertEquals(0, clock.firstAtOrAfter(-1e300));
            assertEquals(clock.sampleCount(), clock.firstAfter(1e300));
        }
    }

    @Test
    void agreesWithNumpySearchsortedOnRandomRecordings() throws Exception {
        Random rnd = new Random(7);
        double[] rates = {1000.5, 20000, 30000, 2.5, 1000 / 3.0, 24414.0625, 1250};
        double[] offsets = {0, 0.1, -3.7, 1234.56789, 1e-9 / 3};
        StringBuilder in = new StringBuilder();
        List<List<SampleRange>> expectedByCase = new ArrayList<>();
        List<IntervalSet> sets = new ArrayList<>();
        int cases = 40;
        for (int c = 0; c < cases; c++) {
            double fs = rates[c % rates.length];
            double t0 = offsets[rnd.nextInt(offsets.length)];
            long n = 1 + rnd.nextInt(400_000);
            SampleClock clock = new SampleClock(t0, fs, n);
            int m = 1 + rnd.nextInt(300);
            double[] s = new double[m];
            double[] e = new double[m];
            double duration = n / fs;
            for (int k = 0; k < m; k++) {
                double a = t0 - 0.05 * duration + rnd.nextDouble() * 1.1 * duration;
                double len = rnd.nextDouble() * duration / m;
                switch (rnd.nextInt(4)) {
                    case 0 -> a = clock.time(rnd.nextLong(n)); // exactly on a sample
                    case 1 -> len = clock.time(Math.min(n - 1, clock.firstAtOrAfter(a) + rnd.nextInt(5))) - a; // end on a sample
                    case 2 -> a = Math.nextUp(clock.time(rnd.nextLong(n))); // a hair after a sample
                    default -> { }
                }
                s[k] = a;
                e[k] = a + len;
            }
            IntervalSet set = IntervalSet.of(s, e);
            sets.add(set);
            expectedByCase.add(SampleSelection.select(set, clock));
            in.append(Long.toHexString(Double.doubleToRawLongBits(fs))).append(' ')
                    .append(Long.toHexString(Double.doubleToRawLongBits(t0))).append(' ').append(n).append(' ').append(set.size());
            for (int k = 0; k < set.size(); k++) {
                in.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(set.start(k))))
                        .append(' ').append(Long.toHexString(Double.doubleToRawLongBits(set.end(k))));
            }
            in.append('\n');
        }
        String out = SystemPython.run("""
                import sys, numpy as np
                f = lambda h: np.array([int(h, 16)], dtype=np.uint64).view(np.float64)[0]
                for line in sys.stdin.read().splitlines():
                    tok = line.split()
                    fs, t0, n, m = f(tok[0]), f(tok[1]), int(tok[2]), int(tok[3])
                    t = np.round(np.arange(n) / fs + t0, 9)   # what nap.Tsd(t=np.arange(n)/fs + t0) holds
                    s = np.array([f(x) for x in tok[4::2]]); e = np.array([f(x) for x in tok[5::2]])
                    lo = np.searchsorted(t, s, side='left'); hi = np.searchsorted(t, e, side='right')
                    keep = np.zeros(n, bool)
                    for a, b in zip(s, e):
                        keep |= (t >= a) & (t <= b)
                    runs = [(k, int(a), int(b - a)) for k, (a, b) in enumerate(zip(lo, hi)) if b > a]
                    assert sum(r[2] for r in runs) == int(keep.sum())
                    print(";".join("%d,%d,%d" % r for r in runs))
                """, in.toString());
        String[] lines = out.split("\n", -1);
        for (int c = 0; c < cases; c++) {
            List<SampleRange> ours = expectedByCase.get(c);
            String numpy = lines[c];
            StringBuilder mine = new StringBuilder();
            for (SampleRange r : ours) {
                mine.append(mine.isEmpty() ? "" : ";").append(r.interval()).append(',').append(r.first()).append(',').append(r.count());
            }
            assertEquals(numpy, mine.toString(), "case " + c + " with " + sets.get(c));
        }
    }
}
