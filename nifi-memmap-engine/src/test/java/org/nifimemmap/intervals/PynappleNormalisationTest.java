package org.nifimemmap.intervals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Expected values worked out by hand from pynapple's IntervalSet constructor and _jitfix_iset. */
class PynappleNormalisationTest {
    private static IntervalSet of(double[] s, double[] e) {
        return IntervalSet.of(s, e);
    }

    private static void assertIntervals(IntervalSet set, double[] starts, double[] ends) {
        assertArrayEquals(starts, set.starts(), "starts of " + set);
        assertArrayEquals(ends, set.ends(), "ends of " + set);
    }

    @Test
    void cleanSetIsUnchangedAndHasNoNotes() {
        IntervalSet set = of(new double[] {0, 20.5}, new double[] {10, 30});
        assertIntervals(set, new double[] {0, 20.5}, new double[] {10, 30});
        assertEquals(List.of(), set.notes());
    }

    @Test
    void roundsToNineDecimalsHalfEven() {
        IntervalSet set = of(new double[] {0.1234567894}, new double[] {1.0000000025});
        assertIntervals(set, new double[] {0.123456789}, new double[] {1.000000002});
        assertTrue(set.notes().contains("rounded 2 times to 9 decimals"), set.notes().toString());
    }

    @Test
    void sortsStartsAndEndsIndependently() {
        // pynapple sorts each column on its own: starts [0,5,10], ends [3,8,12]
        IntervalSet set = of(new double[] {10, 0, 5}, new double[] {12, 3, 8});
        assertIntervals(set, new double[] {0, 5, 10}, new double[] {3, 8, 12});
        assertEquals(List.of("sorted starts", "sorted ends"), set.notes());
    }

    @Test
    void independentSortingRepairsSwappedPairsTheWayPynappleDoes() {
        // (10,12) and (0,15): sorted starts [0,10], ends [12,15] -> overlap -> merged into (0,15)
        IntervalSet set = of(new double[] {10, 0}, new double[] {12, 15});
        assertIntervals(set, new double[] {0}, new double[] {15});
    }

    @Test
    void dropsZeroLength() {
        IntervalSet set = of(new double[] {0, 5, 7}, new double[] {1, 5, 9});
        assertIntervals(set, new double[] {0, 7}, new double[] {1, 9});
        assertEquals(List.of("dropped 1 zero-length"), set.notes());
    }

    @Test
    void dropsReversed() {
        // starts and ends each increasing, but (10, 8) is reversed
        IntervalSet set = of(new double[] {0, 10, 20}, new double[] {5, 8, 25});
        assertIntervals(set, new double[] {0, 20}, new double[] {5, 25});
        assertEquals(List.of("dropped 1 reversed (end before start)"), set.notes());
    }

    @Test
    void zeroLengthRightAfterReversedSurvivesAsInPynapple() {
        // _jitfix_iset skips zero-length first, then reversed, and never rechecks: (12,12) is kept
        IntervalSet set = of(new double[] {0, 10, 12}, new double[] {5, 8, 12});
        assertIntervals(set, new double[] {0, 12}, new double[] {5, 12});
    }

    @Test
    void mergesOverlaps() {
        IntervalSet set = of(new double[] {0, 2, 4, 20}, new double[] {3, 5, 10, 30});
        assertIntervals(set, new double[] {0, 20}, new double[] {10, 30});
        assertEquals(List.of("merged 2 overlapping"), set.notes());
    }

    @Test
    void separatesTouchingByOneMicrosecond() {
        IntervalSet set = of(new double[] {0, 10, 20}, new double[] {10, 20, 30});
        assertIntervals(set, new double[] {0, 10, 20}, new double[] {10 - 1e-6, 20 - 1e-6, 30});
        assertEquals(List.of("separated 2 touching (end moved 1 microsecond earlier)"), set.notes());
    }

    @Test
    void mergedIntervalTouchingTheNextIsSeparated() {
        IntervalSet set = of(new double[] {0, 1, 5}, new double[] {2, 5, 6});
        assertIntervals(set, new double[] {0, 5}, new double[] {5 - 1e-6, 6});
    }

    @Test
    void everythingDroppedGivesEmptySet() {
        IntervalSet set = of(new double[] {1, 2}, new double[] {1, 2});
        assertTrue(set.isEmpty());
    }

    @Test
    void negativeTimesAreOrdinaryTimes() {
        IntervalSet set = of(new double[] {-1.5}, new double[] {-0.5});
        assertIntervals(set, new double[] {-1.5}, new double[] {-0.5});
    }

    @Test
    void rejectsNaNInfinityAndMismatchedLengths() {
        MemmapException nan = assertThrows(MemmapException.class, () -> of(new double[] {0, Double.NaN}, new double[] {1, 2}));
        assertEquals(ErrorKind.INVALID_INPUT, nan.kind());
        assertTrue(nan.getMessage().contains("Interval 1: start is NaN"), nan.getMessage());
        assertThrows(MemmapException.class, () -> of(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}));
        MemmapException huge = assertThrows(MemmapException.class, () -> of(new double[] {0}, new double[] {1e300}));
        assertTrue(huge.getMessage().contains("too large"), huge.getMessage());
        assertThrows(MemmapException.class, () -> of(new double[] {0, 1}, new double[] {1}));
    }
}
