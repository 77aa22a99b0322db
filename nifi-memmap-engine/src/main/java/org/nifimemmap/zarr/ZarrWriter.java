package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes Zarr v2 groups, arrays and chunk files into a directory (normally the temporary directory of an
 * {@link org.nifimemmap.io.AtomicOutput}). Thread-safe: chunk files are independent.
 */
public final class ZarrWriter {
    private ZarrWriter() {
    }

    /** Creates a group directory with {@code .zgroup} and, when {@code attributes} is not empty, {@code .zattrs}. */
    public static long writeGroup(Path dir, ObjectNode attributes) throws IOException {
        Files.createDirectories(dir);
        long n = writeJson(dir.resolve(".zgroup"), Json.object().put("zarr_format", 2));
        return n + writeAttributes(dir, attributes);
    }

    /** Writes (or rewrites) {@code .zattrs}; returns the bytes written. */
    public static long writeAttributes(Path dir, ObjectNode attributes) throws IOException {
        return attributes == null || attributes.isEmpty() ? 0 : writeJson(dir.resolve(".zattrs"), attributes);
    }

    /** Creates an array directory with {@code .zarray} and {@code .zattrs}; returns the bytes written. */
    public static long createArray(Path dir, ZarrArrayMetadata metadata, ObjectNode attributes) throws IOException {
        Files.createDirectories(dir);
        return writeJson(dir.resolve(".zarray"), metadata.toJson()) + writeAttributes(dir, attributes);
    }

    /** Writes one encoded chunk file; returns its size. */
    public static long writeChunk(Path arrayDir, ZarrArrayMetadata metadata, long[] chunkIndex, byte[] data, int length) throws IOException {
        Path file = arrayDir.resolve(metadata.chunkKey(chunkIndex));
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
     * e.g. {@code channel_ids}. Returns the bytes written.
     */
    public static long writeSmallArray(Path dir, ZarrArrayMetadata metadata, ObjectNode attributes, byte[] data) throws IOException {
        if (metadata.chunkBytes() != data.length) {
            throw new IllegalArgumentException("array of " + data.length + " bytes does not fill one chunk of " + metadata.chunkBytes());
        }
        long n = createArray(dir, metadata, attributes);
        try (ChunkPipeline pipeline = metadata.newPipeline()) {
            ChunkPipeline.Encoded encoded = pipeline.encode(data);
            return n + writeChunk(dir, metadata, new long[metadata.rank()], encoded.array(), encoded.length());
        }
    }

    private static long writeJson(Path file, JsonNode node) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(node);
        Files.write(file, bytes, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return bytes.length;
    }
}
