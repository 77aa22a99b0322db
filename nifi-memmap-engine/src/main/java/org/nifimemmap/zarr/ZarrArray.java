package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A Zarr v2 array on a local file system, opened for reading: its metadata, its attributes, and chunks
 * read one at a time by index.
 *
 * <pre>
 * ZarrArray traces = ZarrGroup.open(store).array("traces_seg0");
 * try (ZarrArray.ChunkReader reader = traces.chunkReader()) {   // one per thread
 *     byte[] chunk = new byte[traces.metadata().chunkBytes()];
 *     reader.read(new long[] {12, 0}, chunk);                     // C order, dtype's byte order
 * }
 * </pre>
 */
public final class ZarrArray {
    private final Path path;
    private final ZarrArrayMetadata metadata;
    private final ObjectNode attributes;

    private ZarrArray(Path path, ZarrArrayMetadata metadata, ObjectNode attributes) {
        this.path = path;
        this.metadata = metadata;
        this.attributes = attributes;
    }

    /** Opens the array stored in directory {@code path} (reads {@code .zarray} and, if present, {@code .zattrs}). */
    public static ZarrArray open(Path path) {
        Path zarray = path.resolve(".zarray");
        JsonNode meta = ZarrGroup.readJson(zarray, true);
        ObjectNode attrs = (ObjectNode) ZarrGroup.readJson(path.resolve(".zattrs"), false);
        return new ZarrArray(path, ZarrArrayMetadata.fromJson(meta, zarray.toString()), attrs);
    }

    public Path path() {
        return path;
    }

    public ZarrArrayMetadata metadata() {
        return metadata;
    }

    /** The array's {@code .zattrs} (empty when absent). */
    public ObjectNode attributes() {
        return attributes.deepCopy();
    }

    /** The path of the file holding a chunk (which may not exist: missing chunks read as fill value). */
    public Path chunkPath(long... chunkIndex) {
        return path.resolve(metadata.chunkKey(chunkIndex));
    }

    /** A new reader with its own decoding buffers; use one per thread. */
    public ChunkReader chunkReader() {
        // A .zarray may declare chunks of up to 2 GiB: refuse before allocating what the heap cannot hold.
        long heapNeeded = decodingBuffers() * metadata.chunkBytes();
        if (heapNeeded > Runtime.getRuntime().maxMemory()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, path.resolve(".zarray") + ": chunks of "
                    + metadata.chunkBytes() + " bytes need " + heapNeeded + " bytes of heap to decode, more than the JVM's maximum heap of "
                    + Runtime.getRuntime().maxMemory() + " bytes");
        }
        try {
            return new ChunkReader();
        } catch (MemmapException e) {
            // Codec configurations are only read here: name the file that holds them.
            throw new MemmapException(e.kind(), path.resolve(".zarray") + ": " + e.getMessage(), e);
        }
    }

    /** Chunk-sized buffers a reader and its caller hold: the stored file, up to two filter buffers, the compressor's, the result. */
    private long decodingBuffers() {
        boolean compressed = metadata.compressor() != null && !metadata.compressor().isNull();
        return 2 + Math.min(2, metadata.filters().size()) + (compressed ? 1 : 0);
    }

    /** Reads and decodes chunks; not thread-safe. Close it to free the decoders' native state. */
    public final class ChunkReader implements AutoCloseable {
        private final ChunkPipeline pipeline = metadata.newPipeline();
        private final byte[] fill = metadata.dtype().fillBytes(metadata.fillValue());
        private byte[] stored = new byte[0];

        /**
         * Decodes chunk {@code chunkIndex} into {@code dst[0, chunkBytes)}: elements in C order within the
         * full (padded) chunk, in the dtype's byte order. A chunk without a file is filled with the fill value.
         *
         * @return false when the chunk has no file
         */
        public boolean read(long[] chunkIndex, byte[] dst) {
            if (dst.length < metadata.chunkBytes()) {
                throw new IllegalArgumentException("buffer of " + dst.length + " bytes cannot hold a chunk of "
                        + metadata.chunkBytes() + " bytes of " + path);
            }
            long[] grid = metadata.chunkGrid();
            for (int i = 0; i < grid.length; i++) {
                if (chunkIndex[i] < 0 || chunkIndex[i] >= grid[i]) {
                    throw new IndexOutOfBoundsException("chunk " + Arrays.toString(chunkIndex) + " outside grid "
                            + Arrays.toString(grid) + " of " + path);
                }
            }
            Path file = chunkPath(chunkIndex);
            int length;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 64) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, "Chunk file " + file + " is " + size + " bytes, too large");
                }
                length = (int) size;
                if (stored.length < length) {
                    stored = new byte[Math.max(length, stored.length * 3 / 2)];
                }
                ByteBuffer buf = ByteBuffer.wrap(stored, 0, length);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Chunk file " + file + " shrank while read");
                    }
                }
            } catch (NoSuchFileException e) {
                fillChunk(dst);
                return false;
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read chunk file " + file + ": " + e, e);
            }
            try {
                pipeline.decode(stored, length, dst);
            } catch (MemmapException e) {
                throw new MemmapException(e.kind(), "Chunk file " + file + ": " + e.getMessage(), e);
            }
            return true;
        }

        @Override
        public void close() {
            pipeline.close();
        }

        private void fillChunk(byte[] dst) {
            int n = metadata.chunkBytes();
            for (int i = 0; i < n; i += fill.length) {
                System.arraycopy(fill, 0, dst, i, fill.length);
            }
        }
    }

    /** True when {@code dir} holds a {@code .zarray}. */
    static boolean isArray(Path dir) {
        return Files.isRegularFile(dir.resolve(".zarray"));
    }
}
