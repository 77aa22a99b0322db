package org.nifimemmap.intervals;

import java.util.Arrays;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Growable start/end arrays with a hard cap, so a hostile file cannot make us allocate without bound. */
final class IntervalAccumulator {
    /** 10 million intervals (160 MB of doubles) is far beyond any real epoch list. */
    static final int MAX_INTERVALS = 10_000_000;

    private final String source;
    private final ErrorKind kind;
    private double[] starts = new double[16];
    private double[] ends = new double[16];
    private int size;

    /** {@code kind}: the kind of a normalisation error (a property's or a file's). */
    IntervalAccumulator(String source, ErrorKind kind) {
        this.source = source;
        this.kind = kind;
    }

    void add(double start, double end) {
        if (size == MAX_INTERVALS) {
            throw new MemmapException(ErrorKind.INVALID_INPUT,
                    source + ": more than " + MAX_INTERVALS + " intervals; refusing to read further");
        }
        if (size == starts.length) {
            int grown = (int) Math.min(MAX_INTERVALS, (long) size * 2);
            starts = Arrays.copyOf(starts, grown);
            ends = Arrays.copyOf(ends, grown);
        }
        starts[size] = start;
        ends[size] = end;
        size++;
    }

    int size() {
        return size;
    }

    IntervalSet toIntervalSet() {
        return IntervalSet.of(source, kind, Arrays.copyOf(starts, size), Arrays.copyOf(ends, size));
    }
}
