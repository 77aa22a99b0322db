package org.nifimemmap.eeg;

import java.util.Locale;

/** Which metadata describes a raw interleaved recording; {@link #AUTO} decides by the metadata file found beside it. */
public enum RecordingFormat {
    AUTO, NEUROSCOPE, SPIKEGLX, OPENEPHYS, RAW;

    public static RecordingFormat parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** The name used in properties and attributes, e.g. {@code spikeglx}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
