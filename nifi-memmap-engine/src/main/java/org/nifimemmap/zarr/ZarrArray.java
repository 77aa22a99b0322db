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
 * A Zarr v2 or v3 array on a local file system, opened for reading: its metadata, its attributes, and chunks
 * read one at a time by index. In a sharded v3 array a chunk is read by reading its shard's index (kept while
 * the reader stays in that shard) and then only the chunk's own bytes.
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
    private final ShardIndex.Layout indexLayout;
    private final Path metadataFile;

    private ZarrArray(Path path, ZarrArrayMetadata metadata, ObjectNode attributes, ShardIndex.Layout indexLayout, Path metadataFile) {
        this.path = path;
        this.metadata = metadata;
        this.attributes = attributes;
        this.indexLayout = indexLayout;
        this.metadataFile = metadataFile;
    }

    /**
     * Opens the array stored in directory {@code path}: {@code zarr.json} (v3) when present, else {@code .zarray}
     * and, if present, {@code .zattrs} (v2).
     */
    public static ZarrArray open(Path path) {
        Path zarrJson = path.resolve(V3_METADATA);
        if (Files.isRegularFile(zarrJson)) {
            V3Metadata.Parsed parsed = V3Metadata.parseArray(ZarrGroup.readJson(zarrJson, true), zarrJson.toString());
            return new ZarrArray(path, parsed.metadata(), parsed.attributes(), parsed.indexLayout(), zarrJson);
        }
        Path zarray = path.resolve(".zarray");
        JsonNode meta = ZarrGroup.readJson(zarray, true);
        ObjectNode attrs = (ObjectNode) ZarrGroup.readJson(path.resolve(".zattrs"), false);
        return new ZarrArray(path, ZarrArrayMetadata.fromJson(meta, zarray.toString()), attrs, null, zarray);
    }

    static final String V3_METADATA = "zarr.json";

    public Path path() {
        return path;
    }

    public ZarrFormat format() {
        return metadata.format();
    }

    public ZarrArrayMetadata metadata() {
        return metadata;
    }

    /** The array's attributes: {@code .zattrs} (empty when absent), or those of {@code zarr.json} with its dimension names as {@code _ARRAY_DIMENSIONS}. */
    public ObjectNode attributes() {
        return attributes.deepCopy();
    }

    /** The path of the file holding a chunk, its shard's in a sharded array (which may not exist: missing chunks read as fill value). */
    public Path chunkPath(long... chunkIndex) {
        return path.resolve(metadata.chunkKey(chunkIndex));
    }

    /** A new reader with its own decoding buffers; use one per thread. */
    public ChunkReader chunkReader() {
        // A .zarray may declare chunks of up to 2 GiB: refuse before allocating what the heap cannot hold.
        long heapNeeded = decodingBuffers() * metadata.chunkBytes();
        if (heapNeeded > Runtime.getRuntime().maxMemory()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, metadataFile + ": chunks of "
                    + metadata.chunkBytes() + " bytes need " + heapNeeded + " bytes of heap to decode, more than the JVM's maximum heap of "
                    + Runtime.getRuntime().maxMemory() + " bytes");
        }
        try {
            return new ChunkReader();
        } catch (MemmapException e) {
            // Codec configurations are only read here: name the file that holds them.
            throw new MemmapException(e.kind(), metadataFile + ": " + e.getMessage(), e);
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
        private Path indexFile;
        private ShardIndex index;
        private long storedBytes;

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
            int length = metadata.sharded() ? readFromShard(file, metadata.positionInShard(chunkIndex)) : readFile(file);
            if (length < 0) {
                fillChunk(dst);
                return false;
            }
            try {
                pipeline.decode(stored, length, dst);
            } catch (MemmapException e) {
                throw new MemmapException(e.kind(), (metadata.sharded() ? "Shard file " + file + ", chunk " + Arrays.toString(chunkIndex)
                        : "Chunk file " + file) + ": " + e.getMessage(), e);
            }
            return true;
        }

        /** Bytes read from storage by the last {@link #read}: the stored chunk, plus the shard index when it was read. */
        public long storedBytes() {
            return storedBytes;
        }

        /** Reads a whole chunk file into {@code stored}; -1 when it does not exist. */
        private int readFile(Path file) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 64) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, "Chunk file " + file + " is " + size + " bytes, too large");
                }
                int length = (int) size;
                readFully(ch, file, 0, length);
                storedBytes = length;
                return length;
            } catch (NoSuchFileException e) {
                storedBytes = 0;
                return -1;
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read chunk file " + file + ": " + e, e);
            }
        }

        /** Reads one chunk's bytes out of a shard into {@code stored}; -1 when the shard or the chunk is not stored. */
        private int readFromShard(Path file, int position) {
            storedBytes = 0;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                if (!file.equals(indexFile)) {
                    indexFile = null;
                    index = ShardIndex.read(ch, file, metadata.chunksInShard(), indexLayout);
                    indexFile = file;
                    storedBytes = indexLayout.bytes(metadata.chunksInShard());
                }
                if (!index.stored(position)) {
                    return -1;
                }
                int length = index.length(position);
                readFully(ch, file, index.offset(position), length);
                storedBytes += length;
                return length;
            } catch (NoSuchFileException e) {
                return -1;
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read shard file " + file + ": " + e, e);
            }
        }

        private void readFully(FileChannel ch, Path file, long offset, int length) throws IOException {
            if (stored.length < length) {
                stored = new byte[Math.max(length, stored.length * 3 / 2)];
            }
            ByteBuffer buf = ByteBuffer.wrap(stored, 0, length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Chunk file " + file + " shrank while read");
                }
            }
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

    /** True when {@code dir} holds a {@code .zarray}, or a {@code zarr.json} of an array. */
    public static boolean isArray(Path dir) {
        return Files.isRegularFile(dir.resolve(".zarray")) || "array".equals(ZarrGroup.v3NodeType(dir));
    }
}
