package org.nifimemmap.intervals;

import java.util.Arrays;
import java.util.List;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A normalised set of time intervals in seconds, as a pynapple {@code IntervalSet} holds them: sorted,
 * non-overlapping, rounded to 9 decimals. Built only through {@link #of}, which applies pynapple's
 * constructor rules and records what they changed in {@link #notes()}.
 */
public final class IntervalSet {
    private static final IntervalSet EMPTY = new IntervalSet(new double[0], new double[0], List.of());

    private final double[] starts;
    private final double[] ends;
    private final List<String> notes;

    IntervalSet(double[] starts, double[] ends, List<String> notes) {
        this.starts = starts;
        this.ends = ends;
        this.notes = List.copyOf(notes);
    }

    /**
     * Normalises raw (start, end) pairs in seconds the way {@code nap.IntervalSet(start, end)} does.
     * The arrays are not modified.
     *
     * @throws org.nifimemmap.io.MemmapException (INVALID_INPUT) when lengths differ or a value is NaN or
     *         infinite (before or after rounding)
     */
    public static IntervalSet of(double[] starts, double[] ends) {
        return PynappleNormalisation.normalise(starts, ends);
    }

    /** As {@link #of(double[], double[])}, for a parser: an error names {@code source} and has its kind. */
    static IntervalSet of(String source, ErrorKind kind, double[] starts, double[] ends) {
        try {
            return of(starts, ends);
        } catch (MemmapException e) {
            throw new MemmapException(kind, source + ": " + e.getMessage(), e);
        }
    }

    public static IntervalSet empty() {
        return EMPTY;
    }

    public int size() {
        return starts.length;
    }

    public boolean isEmpty() {
        return starts.length == 0;
    }

    public double start(int i) {
        return starts[i];
    }

    public double end(int i) {
        return ends[i];
    }

    public double[] starts() {
        return starts.clone();
    }

    public double[] ends() {
        return ends.clone();
    }

    /** Human-readable notes on what normalisation changed, e.g. "merged 3 overlapping"; empty when nothing. */
    public List<String> notes() {
        return notes;
    }

    /** Sum of interval lengths in seconds. */
    public double totalDuration() {
        double sum = 0;
        for (int i = 0; i < starts.length; i++) {
            sum += ends[i] - starts[i];
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntervalSet other && Arrays.equals(starts, other.starts) && Arrays.equals(ends, other.ends);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(starts) + Arrays.hashCode(ends);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("IntervalSet[");
        for (int i = 0; i < Math.min(starts.length, 10); i++) {
            sb.append(i == 0 ? "" : ", ").append(starts[i]).append('-').append(ends[i]);
        }
        return sb.append(starts.length > 10 ? ", ... (" + starts.length + " intervals)]" : "]").toString();
    }
}
