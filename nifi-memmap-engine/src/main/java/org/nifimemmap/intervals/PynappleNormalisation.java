package org.nifimemmap.intervals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * pynapple's IntervalSet constructor (pynapple/core/interval_set.py with {@code _jitfix_iset} from
 * _jitted_functions.py), reproduced step for step, including its quirks: starts and ends are sorted
 * independently, and the zero-length, reversed and overlap passes run in that fixed order, so for
 * example a zero-length interval right after a reversed one survives, as it does in pynapple.
 */
final class PynappleNormalisation {
    /** pynapple moves a touching end 1 microsecond earlier. */
    private static final double TOUCH_GAP = 1.0e-6;

    private PynappleNormalisation() {
    }

    static IntervalSet normalise(double[] rawStarts, double[] rawEnds) {
        if (rawStarts.length != rawEnds.length) {
            throw new MemmapException(ErrorKind.INVALID_INPUT,
                    "Interval starts and ends differ in number: " + rawStarts.length + " starts, " + rawEnds.length + " ends");
        }
        List<String> notes = new ArrayList<>();
        double[] start = roundAll(rawStarts, "start");
        double[] end = roundAll(rawEnds, "end");
        int rounded = countChanged(rawStarts, start) + countChanged(rawEnds, end);
        if (rounded > 0) {
            notes.add("rounded " + rounded + " time" + plural(rounded) + " to 9 decimals");
        }
        // pynapple sorts when a sequence is not strictly increasing; only a real reordering is worth a note.
        if (sortIfUnordered(start)) {
            notes.add("sorted starts");
        }
        if (sortIfUnordered(end)) {
            notes.add("sorted ends");
        }
        return fix(start, end, notes);
    }

    private static IntervalSet fix(double[] start, double[] end, List<String> notes) {
        int m = start.length;
        double[] outStart = new double[m];
        double[] outEnd = new double[m];
        int zeroLength = 0;
        int reversed = 0;
        int merged = 0;
        int touching = 0;
        int i = 0;
        int ct = 0;
        while (i < m) {
            double newStart = start[i];
            double newEnd = end[i];
            while (i < m) {
                if (end[i] == start[i]) {
                    zeroLength++;
                    i++;
                } else {
                    newStart = start[i];
                    newEnd = end[i];
                    break;
                }
            }
            while (i < m) {
                if (end[i] < start[i]) {
                    reversed++;
                    i++;
                } else {
                    newStart = start[i];
                    newEnd = end[i];
                    break;
                }
            }
            if (i >= m) {
                break;
            }
            while (i < m - 1) {
                if (start[i + 1] < end[i]) {
                    merged++;
                    i++;
                    newEnd = Math.max(end[i - 1], end[i]);
                } else {
                    break;
                }
            }
            if (i < m - 1 && newEnd == start[i + 1]) {
                touching++;
                newEnd -= TOUCH_GAP;
            }
            outStart[ct] = newStart;
            outEnd[ct] = newEnd;
            ct++;
            i++;
        }
        if (zeroLength > 0) {
            notes.add("dropped " + zeroLength + " zero-length");
        }
        if (reversed > 0) {
            notes.add("dropped " + reversed + " reversed (end before start)");
        }
        if (merged > 0) {
            notes.add("merged " + merged + " overlapping");
        }
        if (touching > 0) {
            notes.add("separated " + touching + " touching (end moved 1 microsecond earlier)");
        }
        return new IntervalSet(Arrays.copyOf(outStart, ct), Arrays.copyOf(outEnd, ct), notes);
    }

    private static double[] roundAll(double[] values, String what) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "Interval " + i + ": " + what + " is " + v);
            }
            out[i] = PynappleTime.round(v);
            if (!Double.isFinite(out[i])) {
                throw new MemmapException(ErrorKind.INVALID_INPUT,
                        "Interval " + i + ": " + what + " " + v + " s is too large to round to 9 decimals");
            }
        }
        return out;
    }

    private static int countChanged(double[] before, double[] after) {
        int n = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                n++;
            }
        }
        return n;
    }

    private static boolean sortIfUnordered(double[] values) {
        for (int i = 1; i < values.length; i++) {
            if (values[i] < values[i - 1]) {
                Arrays.sort(values);
                return true;
            }
        }
        return false;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
