package org.nifimemmap.eeg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrWriter;

/**
 * The arrays beside {@code traces_seg0} that SpikeInterface's Zarr recording reads: {@code channel_ids} (the
 * metadata's channel names as fixed-length strings, else int64 0..n-1), {@code t_starts} (the first sample's time)
 * and the group {@code properties/} with {@code gain_to_uV}, {@code offset_to_uV} (both needed for scaled traces),
 * {@code channel_name}, {@code group} and, for Neuroscope, {@code skipped}; a property is written only when the
 * metadata gives it.
 */
public final class SpikeInterfaceArrays {
    private static final Charset UCS4 = Charset.forName("UTF-32LE");

    private SpikeInterfaceArrays() {
    }

    static long write(Path store, ZarrFormat format, int channels, RecordingMetadata metadata) throws IOException {
        return writeDoubles(store.resolve("t_starts"), format, new double[] {metadata.tStart()}, "segment")
                + writeChannels(store, format, channels, metadata.table());
    }

    /** {@code channel_ids} and {@code properties/} of a v2 store. */
    public static long writeChannels(Path store, int channels, ChannelTable table) throws IOException {
        return writeChannels(store, ZarrFormat.V2, channels, table);
    }

    /**
     * {@code channel_ids} and {@code properties/}: what a recording's store says about its channels. In v3, names are
     * {@code string} arrays (codec {@code vlen-utf8}), as zarr-python 3 writes SpikeInterface's string arrays.
     */
    public static long writeChannels(Path store, ZarrFormat format, int channels, ChannelTable table) throws IOException {
        long bytes = table.names() != null ? writeStrings(store.resolve("channel_ids"), format, table.names(), "channel")
                : writeIntegers(store.resolve("channel_ids"), format, range(channels), "channel");
        if (table.names() == null && table.gainToUv() == null && table.groups() == null) {
            return bytes;
        }
        Path properties = store.resolve("properties");
        bytes += ZarrWriter.writeGroup(properties, format, null);
        if (table.gainToUv() != null) {
            bytes += writeDoubles(properties.resolve("gain_to_uV"), format, table.gainToUv(), "channel");
            bytes += writeDoubles(properties.resolve("offset_to_uV"), format, table.offsetToUv(), "channel");
        }
        if (table.names() != null) {
            bytes += writeStrings(properties.resolve("channel_name"), format, table.names(), "channel");
        }
        if (table.groups() != null) {
            bytes += writeIntegers(properties.resolve("group"), format, java.util.Arrays.stream(table.groups()).asLongStream().toArray(), "channel");
            bytes += writeBooleans(properties.resolve("skipped"), format, table.skipped());
        }
        return bytes;
    }

    private static long[] range(int n) {
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    private static long writeIntegers(Path dir, ZarrFormat format, long[] values, String dimension) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return small(dir, format, ZarrDtype.INT64, values.length, Json.object().numberNode(0), b.array(), dimension);
    }

    private static long writeDoubles(Path dir, ZarrFormat format, double[] values, String dimension) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return small(dir, format, ZarrDtype.FLOAT64, values.length, Json.object().textNode("NaN"), b.array(), dimension);
    }

    private static long writeBooleans(Path dir, ZarrFormat format, boolean[] values) throws IOException {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return small(dir, format, ZarrDtype.parse("|b1"), values.length, Json.object().booleanNode(false), b, "channel");
    }

    /** NumPy's {@code <U n}: each string as n UCS-4 code units, zero-padded; n is the longest name's length. */
    private static long writeStrings(Path dir, ZarrFormat format, List<String> values, String dimension) throws IOException {
        int chars = Math.max(1, values.stream().mapToInt(v -> v.codePointCount(0, v.length())).max().orElse(1));
        ZarrDtype dtype = ZarrDtype.parse("<U" + chars);
        ByteBuffer b = ByteBuffer.allocate(values.size() * dtype.size());
        for (int i = 0; i < values.size(); i++) {
            b.position(i * dtype.size());
            b.put(values.get(i).getBytes(UCS4));
        }
        return small(dir, format, dtype, values.size(), Json.object().textNode(""), b.array(), dimension);
    }

    private static long small(Path dir, ZarrFormat format, ZarrDtype dtype, int length, com.fasterxml.jackson.databind.JsonNode fill,
                              byte[] data, String dimension) throws IOException {
        long[] shape = {length};
        int[] chunk = {Math.max(1, length)};
        ZarrArrayMetadata md = format == ZarrFormat.V3 ? ZarrArrayMetadata.v3(shape, chunk, null, dtype, null, List.of(), fill)
                : new ZarrArrayMetadata(shape, chunk, dtype, null, List.of(), fill, ".");
        ObjectNode attrs = Json.object();
        attrs.putArray("_ARRAY_DIMENSIONS").add(dimension);
        return ZarrWriter.writeSmallArray(dir, md, attrs, data);
    }
}
