package org.nifimemmap.intervals;

import java.util.ArrayList;
import java.util.List;

/**
 * pynapple's {@code Tsd.restrict(iset)} ({@code jitrestrict}) on index ranges: a sample at time t is kept
 * when {@code start <= t <= end} for an interval, both ends inclusive. Like jitrestrict, a single cursor
 * moves forward through the samples, so no sample is kept twice.
 */
public final class SampleSelection {
    private SampleSelection() {
    }

    /** Kept samples, one range per interval that keeps at least one sample, in time order. */
    public static List<SampleRange> select(IntervalSet intervals, SampleClock clock) {
        List<SampleRange> ranges = new ArrayList<>();
        long cursor = 0;
        for (int k = 0; k < intervals.size() && cursor < clock.sampleCount(); k++) {
            long first = Math.max(cursor, clock.firstAtOrAfter(intervals.start(k)));
            long endExclusive = clock.firstAfter(intervals.end(k));
            if (endExclusive > first) {
                ranges.add(new SampleRange(k, first, endExclusive - first, clock.time(first)));
            }
            cursor = Math.max(first, endExclusive);
        }
        return ranges;
    }

    public static long totalSamples(List<SampleRange> ranges) {
        long n = 0;
        for (SampleRange r : ranges) {
            n += r.count();
        }
        return n;
    }
}
