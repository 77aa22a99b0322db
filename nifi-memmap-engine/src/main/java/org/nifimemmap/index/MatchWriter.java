package org.nifimemmap.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Writes matching elements as CSV (header line, then one line per element) or JSON lines (one object per
 * element), with the columns the caller selects (default: all). Integers are written exactly (uint64 unsigned),
 * float32 columns in their shortest round-trip form; a NaN attribute is {@code null} in JSON lines.
 */
public final class MatchWriter implements LongConsumer {
    public enum Format { CSV, JSON_LINES }

    private final SpatialIndex index;
    private final Writer out;
    private final Format format;
    private final List<Field> fields;
    private final String population;
    private final StringBuilder line = new StringBuilder(128);
    private long written;

    private MatchWriter(SpatialIndex index, Writer out, Format format, List<Field> fields, String population) {
        this.index = index;
        this.out = out;
        this.format = format;
        this.fields = fields;
        this.population = population;
    }

    /** Selects columns by name (empty: all, in file order); writes the CSV header line at once. */
    public static MatchWriter create(SpatialIndex index, Writer out, Format format, List<String> columns) {
        return create(index, out, format, columns, null, true);
    }

    /**
     * As {@link #create(SpatialIndex, Writer, Format, List)}, for one index of several: a non-null {@code population}
     * is written as a first column {@code population} of every line, and the CSV header only when {@code header}.
     */
    public static MatchWriter create(SpatialIndex index, Writer out, Format format, List<String> columns, String population,
                                     boolean header) {
        List<Field> fields = new ArrayList<>();
        if (columns.isEmpty()) {
            fields.addAll(index.layout().fields());
        } else {
            for (String name : columns) {
                fields.add(index.field(name.trim()));
            }
        }
        MatchWriter w = new MatchWriter(index, out, format, List.copyOf(fields), population);
        if (format == Format.CSV && header) {
            w.write((population != null ? "population," : "") + String.join(",", fields.stream().map(Field::name).toList()) + "\n");
        }
        return w;
    }

    /** Writes one element (a record number as passed to a query visitor). */
    @Override
    public void accept(long record) {
        line.setLength(0);
        if (format == Format.JSON_LINES) {
            line.append('{');
        }
        if (population != null) {
            // Population names are SONATA group names: plain identifiers, nothing to escape in CSV or JSON.
            line.append(format == Format.JSON_LINES ? "\"population\":\"" + population + "\"" : population);
            if (!fields.isEmpty()) {
                line.append(',');
            }
        }
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (i > 0) {
                line.append(',');
            }
            if (format == Format.JSON_LINES) {
                line.append('"').append(f.name()).append("\":");
            }
            appendValue(record, f);
        }
        line.append(format == Format.JSON_LINES ? "}\n" : "\n");
        write(line.toString());
        written++;
    }

    private void appendValue(long record, Field f) {
        if (f.type().floating() && !Double.isFinite(index.getDouble(record, f)) && format == Format.JSON_LINES) {
            // JSON has no NaN or infinity; CSV keeps Java's NaN / Infinity, which pandas and numpy read.
            line.append("null");
            return;
        }
        switch (f.type()) {
            case F32 -> line.append((float) index.getDouble(record, f));
            case F64 -> line.append(index.getDouble(record, f));
            case U64 -> line.append(Long.toUnsignedString(index.getLong(record, f)));
            default -> line.append(index.getLong(record, f));
        }
    }

    public long written() {
        return written;
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write query results", e);
        }
    }
}
