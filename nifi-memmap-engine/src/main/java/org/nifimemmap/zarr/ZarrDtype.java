package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A Zarr v2 dtype such as {@code <i2}: byte order, kind ({@code b i u f}, or {@code U} for NumPy's fixed-length
 * UCS-4 strings such as SpikeInterface's {@code channel_ids}) and size in bytes ({@code <U5}: 20 bytes).
 * Chunks hold elements in this byte order.
 */
public record ZarrDtype(String descriptor, ByteOrder order, char kind, int size) {
    public static final ZarrDtype INT64 = parse("<i8");
    public static final ZarrDtype FLOAT64 = parse("<f8");
    /** Longer strings are not channel names. */
    static final int MAX_STRING_CHARS = 4096;

    public static ZarrDtype parse(String descriptor) {
        if (descriptor == null || descriptor.length() < 3) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Unsupported Zarr dtype " + descriptor);
        }
        char orderChar = descriptor.charAt(0);
        char kind = descriptor.charAt(1);
        int size;
        try {
            size = Integer.parseInt(descriptor.substring(2));
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Unsupported Zarr dtype " + descriptor, e);
        }
        if (kind == 'U' && size >= 1 && size <= MAX_STRING_CHARS) {
            return new ZarrDtype(descriptor, orderChar == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, kind, size * 4);
        }
        boolean known = switch (kind) {
            case 'b' -> size == 1;
            case 'i', 'u' -> size == 1 || size == 2 || size == 4 || size == 8;
            case 'f' -> size == 2 || size == 4 || size == 8;
            default -> false;
        };
        if (!known || "<>|".indexOf(orderChar) < 0) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Unsupported Zarr dtype " + descriptor
                    + " (numeric dtypes b1, i/u 1-8, f 2-8 and strings U1-U" + MAX_STRING_CHARS + " are supported)");
        }
        return new ZarrDtype(descriptor, orderChar == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, kind, size);
    }

    /** The bytes of one element equal to the array's {@code fill_value}; zeros for null. */
    public byte[] fillBytes(JsonNode fillValue) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        if (fillValue == null || fillValue.isNull() || kind == 'U') {
            return b.array();
        }
        if (kind == 'f') {
            double v = switch (fillValue.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> fillValue.asDouble();
            };
            switch (size) {
                case 2 -> b.putShort(Float.floatToFloat16((float) v));
                case 4 -> b.putFloat((float) v);
                default -> b.putDouble(v);
            }
        } else {
            long v = fillValue.isBoolean() ? (fillValue.asBoolean() ? 1 : 0) : fillValue.asLong();
            switch (size) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }
}
