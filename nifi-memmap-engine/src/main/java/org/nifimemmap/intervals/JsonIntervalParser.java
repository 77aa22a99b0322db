package org.nifimemmap.intervals;

import java.io.IOException;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * JSON intervals in seconds, read as a stream so that every error names its line and column:
 * <ul>
 * <li>{@code [[0, 10], [20.5, 30]]} — a list of pairs;</li>
 * <li>{@code [{"start": 0, "end": 10}, ...]} — a list of objects (other keys, e.g. labels, ignored);</li>
 * <li>{@code {"start": [0, 20.5], "end": [10, 30]}} — pynapple's column form (other keys ignored).</li>
 * </ul>
 * Numbers only: strings, null, NaN and values that overflow a double are rejected.
 */
final class JsonIntervalParser {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final String source;
    private final ErrorKind errorKind;

    JsonIntervalParser(String source, ErrorKind errorKind) {
        this.source = source;
        this.errorKind = errorKind;
    }

    static JsonFactory factory() {
        return FACTORY;
    }

    IntervalSet parse(JsonParser p) throws IOException {
        try (p) {
            JsonToken root = p.nextToken();
            IntervalSet result;
            if (root == JsonToken.START_ARRAY) {
                result = parseList(p);
            } else if (root == JsonToken.START_OBJECT) {
                result = parseColumns(p);
            } else {
                throw error(p, "expected a list of intervals or an object with 'start' and 'end' lists, found " + describe(root));
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw error(p, "unexpected " + describe(trailing) + " after the intervals");
            }
            return result;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new MemmapException(errorKind, source + where + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private IntervalSet parseList(JsonParser p) throws IOException {
        IntervalAccumulator acc = new IntervalAccumulator(source, errorKind);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == JsonToken.START_ARRAY) {
                double start = number(p, p.nextToken(), "start");
                double end = number(p, p.nextToken(), "end");
                JsonToken close = p.nextToken();
                if (close != JsonToken.END_ARRAY) {
                    throw error(p, "an interval pair has more than two values");
                }
                acc.add(start, end);
            } else if (t == JsonToken.START_OBJECT) {
                parseObject(p, acc);
            } else {
                throw error(p, "expected an interval ([start, end] or {\"start\":..., \"end\":...}), found " + describe(t));
            }
        }
        return acc.toIntervalSet();
    }

    private void parseObject(JsonParser p, IntervalAccumulator acc) throws IOException {
        JsonLocation open = p.currentTokenLocation();
        Double start = null;
        Double end = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("start".equals(name)) {
                start = number(p, value, "start");
            } else if ("end".equals(name)) {
                end = number(p, value, "end");
            } else {
                p.skipChildren();
            }
        }
        if (start == null || end == null) {
            throw new MemmapException(errorKind, source + " line " + open.getLineNr() + ", column " + open.getColumnNr()
                    + ": interval object lacks '" + (start == null ? "start" : "end") + "'");
        }
        acc.add(start, end);
    }

    private IntervalSet parseColumns(JsonParser p) throws IOException {
        double[] starts = null;
        double[] ends = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("start".equals(name) || "end".equals(name)) {
                if (value != JsonToken.START_ARRAY) {
                    throw error(p, "'" + name + "' must be a list of numbers, found " + describe(value));
                }
                double[] column = numberList(p, name);
                if ("start".equals(name)) {
                    starts = column;
                } else {
                    ends = column;
                }
            } else {
                p.skipChildren();
            }
        }
        if (starts == null || ends == null) {
            throw error(p, "object lacks a '" + (starts == null ? "start" : "end") + "' list");
        }
        if (starts.length != ends.length) {
            throw error(p, "'start' has " + starts.length + " values but 'end' has " + ends.length);
        }
        return IntervalSet.of(source, errorKind, starts, ends);
    }

    private double[] numberList(JsonParser p, String what) throws IOException {
        double[] values = new double[16];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (n == IntervalAccumulator.MAX_INTERVALS) {
                throw error(p, "more than " + IntervalAccumulator.MAX_INTERVALS + " values in '" + what + "'");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, (int) Math.min(IntervalAccumulator.MAX_INTERVALS, 2L * n));
            }
            values[n++] = number(p, t, what);
        }
        return Arrays.copyOf(values, n);
    }

    private double number(JsonParser p, JsonToken t, String what) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(p, what + " must be a number, found " + describe(t));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            throw error(p, what + " " + p.getText() + " is not a finite number");
        }
        return v;
    }

    private MemmapException error(JsonParser p, String what) {
        JsonLocation loc = p.currentTokenLocation();
        return new MemmapException(errorKind, source + " line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": " + what);
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case END_ARRAY, END_OBJECT -> "the end of a list or object";
            case VALUE_STRING -> "a string";
            case VALUE_NULL -> "null";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> t.toString();
        };
    }
}
