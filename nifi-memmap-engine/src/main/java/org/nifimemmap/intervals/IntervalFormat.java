package org.nifimemmap.intervals;

import java.util.Locale;

/** The interval sources {@link IntervalParser} reads. */
public enum IntervalFormat {
    /** Property text: {@code 0-10, 20.5-30} or {@code 0 10; 20.5 30}, see {@link IntervalTextParser}. */
    TEXT,
    /** Comma-separated start,end rows, header optional. */
    CSV,
    /** Tab-separated start,end rows, header optional. */
    TSV,
    /** A list of pairs, a list of {start,end} objects, or {"start":[...],"end":[...]}. */
    JSON,
    /** Neuroscope event file: "time_ms label" lines, alternating start and stop. */
    NEUROSCOPE_EVT,
    /** pynapple {@code IntervalSet.save()} output: a zip of .npy arrays start and end. */
    NPZ;

    /** Accepts the enum name or a common spelling ("evt", "neuroscope", "npz", "txt"). */
    public static IntervalFormat parse(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return switch (v) {
            case "EVT", "NEUROSCOPE" -> NEUROSCOPE_EVT;
            case "TXT" -> TEXT;
            default -> valueOf(v);
        };
    }
}
