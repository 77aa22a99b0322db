package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes Zarr v2 or v3 groups, arrays and chunk files into a directory (normally the temporary directory of an
 * {@link org.nifimemmap.io.AtomicOutput}). Thread-safe: chunk files are independent. Chunks of sharded arrays
 * go through {@link ChunkFiles}.
 */
public final class ZarrWriter {
    /** The metadata files a node may have, v2 and v3. */
    private static final List<String> METADATA = List.of(".zgroup", ".zarray", ".zattrs", "zarr.json");

    private ZarrWriter() {
    }

    /** Creates a v2 group directory with {@code .zgroup} and, when {@code attributes} is not empty, {@code .zattrs}. */
    public static long writeGroup(Path dir, ObjectNode attributes) throws IOException {
        return writeGroup(dir, ZarrFormat.V2, attributes);
    }

    /** Creates a group directory: {@code .zgroup} (+ {@code .zattrs}) for v2, {@code zarr.json} for v3. */
    public static long writeGroup(Path dir, ZarrFormat format, ObjectNode attributes) throws IOException {
        Files.createDirectories(dir);
        if (format == ZarrFormat.V3) {
            return writeJson(dir.resolve("zarr.json"), V3Metadata.groupJson(attributes));
        }
        long n = writeJson(dir.resolve(".zgroup"), Json.object().put("zarr_format", 2));
        return n + writeAttributes(dir, attributes);
    }

    /** Sets a group's attributes once its content is known: rewrites {@code .zattrs} (v2) or {@code zarr.json} (v3). */
    public static long writeGroupAttributes(Path dir, ZarrFormat format, ObjectNode attributes) throws IOException {
        return format == ZarrFormat.V3 ? writeJson(dir.resolve("zarr.json"), V3Metadata.groupJson(attributes))
                : writeAttributes(dir, attributes);
    }

    /** Writes (or rewrites) {@code .zattrs}; returns the bytes written. */
    public static long writeAttributes(Path dir, ObjectNode attributes) throws IOException {
        return attributes == null || attributes.isEmpty() ? 0 : writeJson(dir.resolve(".zattrs"), attributes);
    }

    /**
     * Creates an array directory with its metadata: {@code .zarray} and {@code .zattrs} (v2), or {@code zarr.json}
     * holding the attributes, {@code _ARRAY_DIMENSIONS} as {@code dimension_names} (v3). Returns the bytes written.
     */
    public static long createArray(Path dir, ZarrArrayMetadata metadata, ObjectNode attributes) throws IOException {
        Files.createDirectories(dir);
        if (metadata.format() == ZarrFormat.V3) {
            return writeJson(dir.resolve("zarr.json"), V3Metadata.arrayJson(metadata, attributes));
        }
        return writeJson(dir.resolve(".zarray"), metadata.toJson()) + writeAttributes(dir, attributes);
    }

    /** Writes one encoded chunk file of an array that is not sharded; returns its size. */
    public static long writeChunk(Path arrayDir, ZarrArrayMetadata metadata, long[] chunkIndex, byte[] data, int length) throws IOException {
        if (metadata.sharded()) {
            throw new IllegalStateException("chunks of sharded array " + arrayDir + " are written through ChunkFiles");
        }
        Path file = arrayDir.resolve(metadata.chunkKey(chunkIndex));
        if (metadata.format() == ZarrFormat.V3) {
            Files.createDirectories(file.getParent());
        }
        return writeChunk(file, data, length);
    }

    static long writeChunk(Path file, byte[] data, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
        return length;
    }

    /**
     * Writes a small one-chunk array whose whole content is {@code data} (C order, the dtype's byte order),
     * e.g. {@code channel_ids}. Returns the bytes written. In v3, fixed-length strings ({@code <U n}) are written
     * as zarr-python 3 writes strings: data type {@code string}, codec {@code vlen-utf8}.
     */
    public static long writeSmallArray(Path dir, ZarrArrayMetadata metadata, ObjectNode attributes, byte[] data) throws IOException {
        if (metadata.chunkBytes() != data.length) {
            throw new IllegalArgumentException("array of " + data.length + " bytes does not fill one chunk of " + metadata.chunkBytes());
        }
        long n = createArray(dir, metadata, attributes);
        if (metadata.format() == ZarrFormat.V3 && metadata.dtype().kind() == 'U') {
            byte[] vlen = vlenUtf8(data, metadata.dtype().size());
            return n + writeChunk(dir, metadata, new long[metadata.rank()], vlen, vlen.length);
        }
        try (ChunkPipeline pipeline = metadata.newPipeline()) {
            ChunkPipeline.Encoded encoded = pipeline.encode(data);
            return n + writeChunk(dir, metadata, new long[metadata.rank()], encoded.array(), encoded.length());
        }
    }

    /** numcodecs' VLenUTF8 layout: item count, then each item's byte length and UTF-8 bytes (uint32 little-endian). */
    private static byte[] vlenUtf8(byte[] ucs4, int itemBytes) {
        List<byte[]> items = new ArrayList<>();
        int total = 4;
        for (int at = 0; at < ucs4.length; at += itemBytes) {
            int end = at;
            while (end < at + itemBytes && (ucs4[end] | ucs4[end + 1] | ucs4[end + 2] | ucs4[end + 3]) != 0) {
                end += 4;
            }
            byte[] utf8 = new String(ucs4, at, end - at, java.nio.charset.Charset.forName("UTF-32LE")).getBytes(StandardCharsets.UTF_8);
            items.add(utf8);
            total += 4 + utf8.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(items.size());
        for (byte[] item : items) {
            b.putInt(item.length).put(item);
        }
        return b.array();
    }

    /** The metadata files present in a node's directory, to force them with its chunks. */
    public static List<Path> metadataFiles(Path dir) {
        return METADATA.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
    }

    private static long writeJson(Path file, JsonNode node) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(node);
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return bytes.length;
    }
}
