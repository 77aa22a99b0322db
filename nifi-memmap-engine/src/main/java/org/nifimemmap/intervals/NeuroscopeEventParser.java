package org.nifimemmap.intervals;

import java.io.BufferedReader;
import java.io.IOException;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Neuroscope event files ({@code .evt}, also {@code .rip.evt}, {@code .evt.py.rip}): one event per line,
 * {@code <time in ms> <label>}, odd lines starting an interval and even lines ending it. As pynapple's
 * {@code read_neuroscope_intervals} does, only the first column is used (labels such as "Ripple start"
 * are ignored) and milliseconds become seconds by dividing by 1000 before the 9-decimal rounding.
 */
final class NeuroscopeEventParser {
    private final String source;
    private final ErrorKind errorKind;

    NeuroscopeEventParser(String source, ErrorKind errorKind) {
        this.source = source;
        this.errorKind = errorKind;
    }

    IntervalSet parse(BufferedReader reader) throws IOException {
        IntervalAccumulator acc = new IntervalAccumulator(source, errorKind);
        double pendingStart = 0;
        int pendingLine = 0;
        int lineNo = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            int p = 0;
            int n = line.length();
            while (p < n && Character.isWhitespace(line.charAt(p))) {
                p++;
            }
            if (p == n || line.charAt(p) == '#') {
                continue;
            }
            int e = NumberScanner.scan(line, p, n);
            if (e == p || (e < n && !Character.isWhitespace(line.charAt(e)))) {
                throw error(lineNo, p, "expected '<time in ms> <label>', found '" + line.strip() + "'");
            }
            double ms = Double.parseDouble(line.substring(p, e));
            if (!Double.isFinite(ms)) {
                throw error(lineNo, p, "time " + line.substring(p, e) + " ms is not a finite number");
            }
            double seconds = ms / 1.0e3;
            if (pendingLine == 0) {
                pendingStart = seconds;
                pendingLine = lineNo;
            } else {
                acc.add(pendingStart, seconds);
                pendingLine = 0;
            }
        }
        if (pendingLine != 0) {
            throw error(pendingLine, 0, "odd number of events: the start on this line has no matching end line");
        }
        return acc.toIntervalSet();
    }

    private MemmapException error(int lineNo, int index, String what) {
        return new MemmapException(errorKind, source + " line " + lineNo + ", column " + (index + 1) + ": " + what);
    }
}
