package org.nifimemmap.intervals;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * CSV or TSV with start and end times in seconds. The first non-blank line is a header when any of its
 * fields is not a number; a header must name columns {@code start} and {@code end} (any case, any
 * position; other columns such as labels are ignored). Without a header each row is exactly
 * {@code start<delim>end}. Fields may be double-quoted (RFC 4180, no line breaks inside quotes). Blank
 * lines and lines starting with {@code #} are skipped.
 */
final class DelimitedIntervalParser {
    private final String source;
    private final char delimiter;
    private final ErrorKind errorKind;

    DelimitedIntervalParser(String source, char delimiter, ErrorKind errorKind) {
        this.source = source;
        this.delimiter = delimiter;
        this.errorKind = errorKind;
    }

    IntervalSet parse(BufferedReader reader) throws IOException {
        IntervalAccumulator acc = new IntervalAccumulator(source, errorKind);
        int startCol = 0;
        int endCol = 1;
        int expectedFields = 2;
        boolean first = true;
        int lineNo = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<Field> fields = split(line, lineNo);
            if (first) {
                first = false;
                if (!allNumbers(fields)) {
                    startCol = headerIndex(fields, "start", lineNo);
                    endCol = headerIndex(fields, "end", lineNo);
                    expectedFields = -1;
                    continue;
                }
            }
            if (expectedFields > 0 && fields.size() != expectedFields) {
                throw error(lineNo, fields.size() > 2 ? fields.get(2).column : line.length() + 1,
                        "expected 2 fields (start" + delimiterName() + "end) but found " + fields.size()
                                + "; add a header naming 'start' and 'end' to use other columns");
            }
            if (Math.max(startCol, endCol) >= fields.size()) {
                throw error(lineNo, line.length() + 1, "row has " + fields.size() + " fields, but the header puts "
                        + (startCol > endCol ? "start" : "end") + " in field " + (Math.max(startCol, endCol) + 1));
            }
            acc.add(number(fields.get(startCol), lineNo, "start"), number(fields.get(endCol), lineNo, "end"));
        }
        return acc.toIntervalSet();
    }

    private String delimiterName() {
        return delimiter == '\t' ? "<tab>" : String.valueOf(delimiter);
    }

    private record Field(String text, int column) {
    }

    private List<Field> split(String line, int lineNo) {
        List<Field> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            int column = i + 1;
            StringBuilder sb = new StringBuilder();
            int p = i;
            while (p < n && line.charAt(p) == ' ') {
                p++;
            }
            if (p < n && line.charAt(p) == '"') {
                int q = p + 1;
                while (true) {
                    if (q >= n) {
                        throw error(lineNo, p + 1, "unterminated quoted field");
                    }
                    char c = line.charAt(q);
                    if (c == '"') {
                        if (q + 1 < n && line.charAt(q + 1) == '"') {
                            sb.append('"');
                            q += 2;
                            continue;
                        }
                        q++;
                        break;
                    }
                    sb.append(c);
                    q++;
                }
                while (q < n && (line.charAt(q) == ' ' || line.charAt(q) == '\r')) {
                    q++;
                }
                if (q < n && line.charAt(q) != delimiter) {
                    throw error(lineNo, q + 1, "unexpected text after quoted field");
                }
                i = q;
            } else {
                int q = i;
                while (q < n && line.charAt(q) != delimiter) {
                    q++;
                }
                sb.append(line, i, q);
                i = q;
            }
            fields.add(new Field(sb.toString().strip(), column));
            if (i >= n) {
                return fields;
            }
            i++; // past the delimiter
        }
    }

    private static boolean allNumbers(List<Field> fields) {
        for (Field f : fields) {
            String t = f.text;
            if (t.isEmpty() || NumberScanner.scan(t, 0, t.length()) != t.length()) {
                return false;
            }
        }
        return true;
    }

    private int headerIndex(List<Field> header, String name, int lineNo) {
        int found = -1;
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).text.toLowerCase(Locale.ROOT).equals(name)) {
                if (found >= 0) {
                    throw error(lineNo, header.get(i).column, "header names column '" + name + "' twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            List<String> names = header.stream().map(Field::text).toList();
            throw error(lineNo, 1, "header " + names + " has no column '" + name
                    + "' (a header needs columns named start and end; without a header, rows are start" + delimiterName() + "end)");
        }
        return found;
    }

    private double number(Field f, int lineNo, String what) {
        String t = f.text;
        if (t.isEmpty() || NumberScanner.scan(t, 0, t.length()) != t.length()) {
            throw error(lineNo, f.column, what + " '" + t + "' is not a number");
        }
        double v = Double.parseDouble(t);
        if (!Double.isFinite(v)) {
            throw error(lineNo, f.column, what + " " + t + " is not a finite number");
        }
        return v;
    }

    private MemmapException error(int lineNo, int column, String what) {
        return new MemmapException(errorKind, source + " line " + lineNo + ", column " + column + ": " + what);
    }
}
