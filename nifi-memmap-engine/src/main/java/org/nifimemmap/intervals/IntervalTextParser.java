package org.nifimemmap.intervals;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Intervals typed into a property, in seconds. Accepted:
 * <ul>
 * <li>intervals separated by {@code ,} {@code ;} or line breaks; blank items are skipped;</li>
 * <li>each interval is {@code start-end} or {@code start end} (spaces/tabs), with optional spaces
 * around the dash: {@code 0-10}, {@code 0 - 10}, {@code 20.5 30}, {@code 1e-3-2e-3};</li>
 * <li>negative times carry their own sign after the range dash: {@code -1.5--0.5} or {@code -1.5 - -0.5}
 * is (-1.5, -0.5). {@code 1 -2} is rejected as ambiguous (range 1..2, or 1..-2?), with a hint.</li>
 * </ul>
 * A comma never separates start from end ({@code 0,10} is two incomplete intervals and an error), so
 * {@code 0-10, 20-30} reads as people write it. Blank text is an error: a property with no interval is
 * a configuration mistake.
 */
final class IntervalTextParser {
    private final String source;
    private final ErrorKind errorKind;

    IntervalTextParser(String source, ErrorKind errorKind) {
        this.source = source;
        this.errorKind = errorKind;
    }

    IntervalSet parse(String text) {
        IntervalAccumulator acc = new IntervalAccumulator(source, errorKind);
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            int itemStart = 0;
            for (int i = 0; i <= line.length(); i++) {
                if (i == line.length() || line.charAt(i) == ',' || line.charAt(i) == ';') {
                    parseItem(line, itemStart, i, ln + 1, acc);
                    itemStart = i + 1;
                }
            }
        }
        if (acc.size() == 0) {
            throw new MemmapException(errorKind, source + ": no interval given (expected e.g. '0-10, 20.5-30')");
        }
        return acc.toIntervalSet();
    }

    private void parseItem(String line, int from, int to, int lineNo, IntervalAccumulator acc) {
        int p = skipSpace(line, from, to);
        if (p == to) {
            return;
        }
        int startEnd = NumberScanner.scan(line, p, to);
        if (startEnd == p) {
            throw error(lineNo, p, "expected a start time, found '" + snippet(line, p, to) + "'");
        }
        double start = Double.parseDouble(line.substring(p, startEnd));
        int q = skipSpace(line, startEnd, to);
        boolean spaced = q > startEnd;
        if (q < to && line.charAt(q) == '-') {
            if (spaced && q + 1 < to && (NumberScanner.isDigit(line.charAt(q + 1)) || line.charAt(q + 1) == '.')) {
                throw error(lineNo, q, "ambiguous '" + line.substring(from, to).trim() + "': write 'a-b' or 'a - b' for a range,"
                        + " and a negative end with its own sign ('1 - -2' or '1--2')");
            }
            q = skipSpace(line, q + 1, to);
        } else if (!spaced) {
            String found = q == to ? "end of interval" : "'" + snippet(line, q, to) + "'";
            throw error(lineNo, q, "interval '" + line.substring(from, to).trim() + "' needs an end time after '-' or a space"
                    + " (found " + found + "; ',' ';' and line breaks separate intervals)");
        }
        int endEnd = NumberScanner.scan(line, q, to);
        if (endEnd == q) {
            String found = q == to ? "nothing" : "'" + snippet(line, q, to) + "'";
            throw error(lineNo, q, "expected an end time, found " + found
                    + " (',' ';' and line breaks separate intervals, '-' or a space separates start from end)");
        }
        double end = Double.parseDouble(line.substring(q, endEnd));
        int rest = skipSpace(line, endEnd, to);
        if (rest < to) {
            throw error(lineNo, rest, "unexpected '" + snippet(line, rest, to) + "' after interval end");
        }
        checkFinite(start, lineNo, p);
        checkFinite(end, lineNo, q);
        acc.add(start, end);
    }

    private void checkFinite(double v, int lineNo, int col) {
        if (!Double.isFinite(v)) {
            throw error(lineNo, col, "time " + v + " is not a finite number");
        }
    }

    private MemmapException error(int lineNo, int index, String what) {
        return new MemmapException(errorKind, source + " line " + lineNo + ", column " + (index + 1) + ": " + what);
    }

    private static int skipSpace(String s, int from, int to) {
        int i = from;
        while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static String snippet(String s, int from, int to) {
        return s.substring(from, Math.min(to, from + 20)).trim();
    }
}
