package org.nifimemmap.index;

import java.nio.ByteBuffer;

/** Numeric column types a record may hold; {@link #numpy()} is the dtype string a numpy user passes to {@code np.dtype}. */
public enum FieldType {
    I8(1, "<i1", true, false), U8(1, "<u1", false, false),
    I16(2, "<i2", true, false), U16(2, "<u2", false, false),
    I32(4, "<i4", true, false), U32(4, "<u4", false, false),
    I64(8, "<i8", true, false), U64(8, "<u8", false, false),
    F32(4, "<f4", true, true), F64(8, "<f8", true, true);

    private final int size;
    private final String numpy;
    private final boolean signed;
    private final boolean floating;

    FieldType(int size, String numpy, boolean signed, boolean floating) {
        this.size = size;
        this.numpy = numpy;
        this.signed = signed;
        this.floating = floating;
    }

    public int size() {
        return size;
    }

    public String numpy() {
        return numpy;
    }

    public boolean floating() {
        return floating;
    }

    public static FieldType fromNumpy(String dtype) {
        for (FieldType t : values()) {
            if (t.numpy.equals(dtype)) {
                return t;
            }
        }
        return null;
    }

    /** The integer type of this size and signedness, or the float type of this size. */
    public static FieldType of(int size, boolean signed, boolean floating) {
        for (FieldType t : values()) {
            if (t.size == size && t.floating == floating && (floating || t.signed == signed)) {
                return t;
            }
        }
        throw new IllegalArgumentException("No field type of " + size + " bytes, signed=" + signed + ", floating=" + floating);
    }

    /** Reads an integer column as a long (U64 values above Long.MAX_VALUE come back negative). */
    public long getLong(ByteBuffer b, int at) {
        return switch (this) {
            case I8 -> b.get(at);
            case U8 -> b.get(at) & 0xFFL;
            case I16 -> b.getShort(at);
            case U16 -> b.getShort(at) & 0xFFFFL;
            case I32 -> b.getInt(at);
            case U32 -> b.getInt(at) & 0xFFFFFFFFL;
            case I64, U64 -> b.getLong(at);
            case F32 -> (long) b.getFloat(at);
            case F64 -> (long) b.getDouble(at);
        };
    }

    /**
     * The largest of {@code count} values of this type, at {@code at} of {@code b} and every {@code step} bytes after
     * it, as {@link #getLong} reads them; {@link Long#MIN_VALUE} if there are none.
     */
    long max(ByteBuffer b, int at, int step, int count) {
        long max = Long.MIN_VALUE;
        int end = at + count * step;
        switch (this) {
            case U8 -> {
                for (int p = at; p < end; p += step) {
                    max = Math.max(max, b.get(p) & 0xFFL);
                }
            }
            case U16 -> {
                for (int p = at; p < end; p += step) {
                    max = Math.max(max, b.getShort(p) & 0xFFFFL);
                }
            }
            case U32 -> {
                for (int p = at; p < end; p += step) {
                    max = Math.max(max, b.getInt(p) & 0xFFFFFFFFL);
                }
            }
            case I64, U64 -> {
                for (int p = at; p < end; p += step) {
                    max = Math.max(max, b.getLong(p));
                }
            }
            default -> {
                for (int p = at; p < end; p += step) {
                    max = Math.max(max, getLong(b, p));
                }
            }
        }
        return max;
    }

    public double getDouble(ByteBuffer b, int at) {
        return switch (this) {
            case F32 -> b.getFloat(at);
            case F64 -> b.getDouble(at);
            case U64 -> unsignedToDouble(b.getLong(at));
            default -> getLong(b, at);
        };
    }

    /** Writes a value given as a double; integer columns take it rounded toward zero (callers check exactness). */
    public void putDouble(ByteBuffer b, int at, double v) {
        switch (this) {
            case F32 -> b.putFloat(at, (float) v);
            case F64 -> b.putDouble(at, v);
            default -> putLong(b, at, (long) v);
        }
    }

    public void putLong(ByteBuffer b, int at, long v) {
        switch (this) {
            case I8, U8 -> b.put(at, (byte) v);
            case I16, U16 -> b.putShort(at, (short) v);
            case I32, U32 -> b.putInt(at, (int) v);
            case I64, U64 -> b.putLong(at, v);
            case F32 -> b.putFloat(at, v);
            case F64 -> b.putDouble(at, v);
        }
    }

    /** True when an integer value fits this column's range. */
    public boolean holds(long v) {
        return switch (this) {
            case I8 -> v == (byte) v;
            case U8 -> (v & ~0xFFL) == 0;
            case I16 -> v == (short) v;
            case U16 -> (v & ~0xFFFFL) == 0;
            case I32 -> v == (int) v;
            case U32 -> (v & ~0xFFFFFFFFL) == 0;
            case I64, F32, F64 -> true;
            case U64 -> v >= 0;
        };
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}
