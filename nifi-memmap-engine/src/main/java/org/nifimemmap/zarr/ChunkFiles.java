package org.nifimemmap.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.nifimemmap.io.BackgroundSync;

/**
 * Stores an array's encoded chunks: one file per chunk (v2, v3), or, for a sharded v3 array, inside shard files.
 * Thread-safe: workers hand chunks over as they finish encoding them.
 *
 * <p>A shard is written as a stream: its file is opened by its first chunk, each chunk is appended as it comes,
 * and the index (then its CRC-32C) is appended after its last chunk, when the file is closed. Chunks are appended
 * in C order whatever order they arrive in, so the same input always gives the same bytes; a chunk that arrives
 * early is copied aside, and the buffer it came from is released ({@code written}) only once it is on disk, so the
 * writer's own buffer bound also bounds what waits here. Chunks of the last shards that lie wholly outside the
 * array are never written: their index entries say "missing".
 */
public final class ChunkFiles implements AutoCloseable {
    private final Path dir;
    private final ZarrArrayMetadata metadata;
    private final BackgroundSync sync;
    private final Map<String, Shard> open = new ConcurrentHashMap<>();
    private final LongAdder written = new LongAdder();
    private volatile boolean aborted;

    /**
     * @param dir  the array's directory (its metadata already written)
     * @param sync forces each chunk or finished shard file in the background, or null
     */
    public ChunkFiles(Path dir, ZarrArrayMetadata metadata, BackgroundSync sync) {
        this.dir = dir;
        this.metadata = metadata;
        this.sync = sync;
    }

    /**
     * Stores one encoded chunk ({@code data[0, length)}); {@code written} runs once those bytes are stored (now, or
     * later for a chunk that arrived before its predecessors in a shard), after which {@code data} may be reused.
     * When this throws, {@code written} has not run and the caller still owns {@code data}.
     */
    public void write(long[] chunkIndex, byte[] data, int length, Runnable written) throws IOException {
        if (!metadata.sharded()) {
            Path file = dir.resolve(metadata.chunkKey(chunkIndex));
            if (metadata.format() == ZarrFormat.V3) {
                Files.createDirectories(file.getParent());
            }
            this.written.add(ZarrWriter.writeChunk(file, data, length));
            if (sync != null) {
                sync.file(file);
            }
            written.run();
            return;
        }
        String key = metadata.chunkKey(chunkIndex);
        Shard shard = open.computeIfAbsent(key, k -> new Shard(k, metadata.shardOf(chunkIndex)));
        shard.append(metadata.positionInShard(chunkIndex), data, length, written);
    }

    /** Bytes stored so far, shard indexes included. */
    public long bytesWritten() {
        return written.sum();
    }

    /** Checks that every shard begun was completed. */
    public void finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("shards " + open.keySet() + " of " + dir + " were not completed");
        }
    }

    /** Gives up: releases every chunk waiting for its turn and closes the shard files (their directory is discarded). */
    public void abort() {
        aborted = true;
        for (Shard s : open.values()) {
            s.abort();
        }
    }

    @Override
    public void close() {
        if (!open.isEmpty()) {
            abort();
        }
    }

    /** A chunk that arrived before its turn, and how to release its source buffer. */
    private record Waiting(byte[] data, Runnable written) {
    }

    private final class Shard {
        private final Path file;
        private final String key;
        private final long[] entries;
        /** Positions in the shard of the chunks inside the array, ascending: the order they are appended in. */
        private final int[] order;
        private final TreeMap<Integer, Waiting> waiting = new TreeMap<>();
        private FileChannel channel;
        private long position;
        private int next;

        Shard(String key, long[] shardIndex) {
            this.file = dir.resolve(key);
            this.key = key;
            this.entries = ShardIndex.emptyEntries(metadata.chunksInShard());
            this.order = storedPositions(shardIndex);
        }

        /** Positions (C order) of this shard's chunks that lie inside the array's chunk grid. */
        private int[] storedPositions(long[] shardIndex) {
            int[] per = metadata.chunksPerShard();
            long[] grid = metadata.chunkGrid();
            int[] positions = new int[metadata.chunksInShard()];
            int n = 0;
            for (int p = 0; p < positions.length; p++) {
                int rest = p;
                boolean inside = true;
                for (int d = per.length - 1; d >= 0; d--) {
                    long chunk = shardIndex[d] * per[d] + rest % per[d];
                    rest /= per[d];
                    inside &= chunk < grid[d];
                }
                if (inside) {
                    positions[n++] = p;
                }
            }
            return Arrays.copyOf(positions, n);
        }

        synchronized void append(int pos, byte[] data, int length, Runnable done) throws IOException {
            if (aborted) {
                done.run();
                return;
            }
            if (pos != order[next]) {
                if (waiting.containsKey(pos) || Arrays.binarySearch(order, next, order.length, pos) < 0) {
                    throw new IllegalStateException("chunk " + pos + " of shard " + file + " written twice or out of the array");
                }
                waiting.put(pos, new Waiting(Arrays.copyOf(data, length), done));
                return;
            }
            // Buffers go back only once their shard is complete, so that a writer that saw all its buffers back knows
            // every shard is on disk.
            List<Runnable> drained = new ArrayList<>();
            try {
                store(pos, data, length);
                for (Waiting w; next < order.length && (w = waiting.remove(order[next])) != null; ) {
                    drained.add(w.written());
                    store(order[next], w.data(), w.data().length);
                }
                if (next == order.length) {
                    complete();
                }
            } catch (IOException | RuntimeException e) {
                abort();
                drained.forEach(Runnable::run);
                throw e;
            }
            done.run();
            drained.forEach(Runnable::run);
        }

        private void store(int pos, byte[] data, int length) throws IOException {
            if (channel == null) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            writeFully(ByteBuffer.wrap(data, 0, length));
            entries[2 * pos] = position - length;
            entries[2 * pos + 1] = length;
            written.add(length);
            next++;
        }

        private void writeFully(ByteBuffer buf) throws IOException {
            while (buf.hasRemaining()) {
                position += channel.write(buf, position);
            }
        }

        private void complete() throws IOException {
            byte[] index = ShardIndex.encode(entries);
            writeFully(ByteBuffer.wrap(index));
            written.add(index.length);
            channel.close();
            channel = null;
            open.remove(key);
            if (sync != null) {
                sync.file(file);
            }
        }

        synchronized void abort() {
            List<Runnable> release = new ArrayList<>();
            waiting.values().forEach(w -> release.add(w.written()));
            waiting.clear();
            release.forEach(Runnable::run);
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // The temporary output holding it is removed by the caller.
                }
                channel = null;
            }
        }
    }
}
