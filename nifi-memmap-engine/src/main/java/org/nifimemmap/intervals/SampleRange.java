package org.nifimemmap.intervals;

/**
 * The samples one interval keeps: {@code count} consecutive samples from {@code first}.
 *
 * @param interval  index of the interval in its normalised {@link IntervalSet}
 * @param first     index of the first kept sample
 * @param count     number of kept samples (at least 1)
 * @param firstTime pynapple timestamp of the first kept sample, seconds
 */
public record SampleRange(int interval, long first, long count, double firstTime) {
    public long endExclusive() {
        return first + count;
    }
}
