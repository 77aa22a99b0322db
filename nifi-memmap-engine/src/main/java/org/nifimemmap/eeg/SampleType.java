package org.nifimemmap.eeg;

import java.util.Locale;
import org.nifimemmap.zarr.ZarrDtype;

/** The numeric type of one sample in a raw recording; the Zarr output keeps it, little-endian. */
public enum SampleType {
    INT16('i', 2), UINT16('u', 2), INT32('i', 4), FLOAT32('f', 4), FLOAT64('f', 8);

    private final char kind;
    private final int bytes;

    SampleType(char kind, int bytes) {
        this.kind = kind;
        this.bytes = bytes;
    }

    public static SampleType parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** The little-endian Zarr dtype, e.g. {@code <i2}. */
    public ZarrDtype zarrDtype() {
        return ZarrDtype.parse("<" + kind + bytes);
    }
}
