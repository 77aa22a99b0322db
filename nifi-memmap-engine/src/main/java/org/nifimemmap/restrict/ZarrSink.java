package org.nifimemmap.restrict;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.io.BackgroundSync;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.ChunkFiles;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrWriter;

/**
 * Writes each output segment as a Zarr array {@code traces_seg{i}} (samples, channels), v2 or v3, in v3 optionally
 * in shards of many chunk rows (all columns). Rows are gathered into chunk-row buffers on the caller's thread; full
 * chunk rows are encoded and written on the executor. A segment shorter than a chunk gets chunks of its own length,
 * so thousands of short intervals do not each cost a padded full-size chunk; its shard is then that one chunk.
 */
final class ZarrSink implements SegmentSink {
    private final Path group;
    private final ZarrFormat format;
    private final int shardRows;
    private final int channels;
    private final ZarrDtype dtype;
    private final int chunkRows;
    private final int chunkCols;
    private final JsonNode compressor;
    private final List<JsonNode> filters;
    private final JsonNode fillValue;
    private final String separator;
    private final byte[] fill;
    private final int rowBytes;
    private final Executor executor;
    private final BufferPool buffers;
    private final ConcurrentLinkedQueue<Encoder> encoders = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong written = new AtomicLong();
    private final BackgroundSync sync = new BackgroundSync("restrict", 64);

    private final List<ChunkFiles> segments = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path arrayDir;
    private ZarrArrayMetadata metadata;
    private ChunkFiles files;
    private byte[] current;
    private int filled;
    private long chunkRow;

    /** Codecs and the space to gather one column chunk; used by one task at a time. */
    private record Encoder(ChunkEncoder codecs, byte[] gather) {
    }

    /** @param shardRows v3: rows per shard, a multiple of {@code chunkRows}; 0 for a file per chunk */
    ZarrSink(Path group, ZarrFormat format, int channels, ZarrDtype dtype, int chunkRows, int shardRows, int chunkCols,
             JsonNode compressor, List<JsonNode> filters, JsonNode fillValue, String separator, Executor executor, int inFlight) {
        this.group = group;
        this.format = format;
        this.shardRows = shardRows;
        this.channels = channels;
        this.dtype = dtype;
        this.chunkRows = chunkRows;
        this.chunkCols = Math.min(chunkCols, channels);
        this.compressor = compressor;
        this.filters = filters;
        this.fillValue = fillValue;
        this.separator = separator;
        this.fill = dtype.fillBytes(fillValue);
        this.rowBytes = channels * dtype.size();
        this.executor = executor;
        this.buffers = new BufferPool(Math.multiplyExact(chunkRows, rowBytes), inFlight);
    }

    @Override
    public void begin(OutputSegment segment) throws IOException {
        int rows = (int) Math.min(chunkRows, segment.samples());
        long[] shape = {segment.samples(), channels};
        int[] chunks = {rows, chunkCols};
        if (format == ZarrFormat.V3) {
            int[] shards = null;
            if (shardRows > 0) {
                // No longer than the chunk rows the segment fills.
                long filled = (segment.samples() + rows - 1) / rows * rows;
                int colChunks = (channels + chunkCols - 1) / chunkCols;
                shards = new int[] {(int) Math.min(shardRows, filled), colChunks * chunkCols};
            }
            metadata = ZarrArrayMetadata.v3(shape, chunks, shards, dtype, compressor, filters, fillValue);
        } else {
            metadata = new ZarrArrayMetadata(shape, chunks, dtype, compressor, filters, fillValue, separator);
        }
        arrayDir = group.resolve("traces_seg" + segment.index());
        ObjectNode attrs = Json.object();
        attrs.putArray("_ARRAY_DIMENSIONS").add("time_seg" + segment.index()).add("channel");
        written.addAndGet(ZarrWriter.createArray(arrayDir, metadata, attrs));
        files = new ChunkFiles(arrayDir, metadata, sync);
        segments.add(files);
        chunkRow = 0;
        filled = 0;
    }

    @Override
    public void write(byte[] src, int offset, int rows) throws IOException {
        int perChunk = metadata.chunks()[0];
        while (rows > 0) {
            if (current == null) {
                current = take();
            }
            int n = Math.min(rows, perChunk - filled);
            System.arraycopy(src, offset, current, filled * rowBytes, n * rowBytes);
            filled += n;
            offset += n * rowBytes;
            rows -= n;
            if (filled == perChunk) {
                submit();
            }
        }
    }

    @Override
    public void end() throws IOException {
        if (filled > 0) {
            // The edge chunk is stored full size, its tail set to the fill value as zarr-python expects.
            int end = metadata.chunks()[0] * rowBytes;
            for (int i = filled * rowBytes; i < end; i += fill.length) {
                System.arraycopy(fill, 0, current, i, fill.length);
            }
            submit();
        }
    }

    private byte[] take() throws IOException {
        rethrow();
        try {
            return buffers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a chunk buffer");
        }
    }

    private void submit() {
        byte[] buffer = current;
        ZarrArrayMetadata md = metadata;
        Path dir = arrayDir;
        ChunkFiles out = files;
        long k = chunkRow++;
        current = null;
        filled = 0;
        int colChunks = (channels + chunkCols - 1) / chunkCols;
        // The buffer goes back once every column chunk of the row is stored: a chunk waiting for its turn in a shard
        // keeps its row's buffer out, which bounds what waits.
        AtomicInteger pending = new AtomicInteger(colChunks);
        Runnable stored = () -> {
            if (pending.decrementAndGet() == 0) {
                buffers.give(buffer);
            }
        };
        Runnable task = () -> {
            int[] handedOver = {0};
            try {
                if (failure.get() == null) {
                    encode(buffer, md, dir, out, k, stored, handedOver);
                }
            } catch (IOException e) {
                fail(new UncheckedIOException(e));
            } catch (RuntimeException | Error e) {
                fail(e);
            } finally {
                for (int j = handedOver[0]; j < colChunks; j++) {
                    stored.run();
                }
            }
        };
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            // A shut-down pool: hand the buffer back so that close() does not wait for it forever.
            buffers.give(buffer);
            throw e;
        }
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            segments.forEach(ChunkFiles::abort);
        }
    }

    /** Encodes and stores the column chunks of chunk row {@code k}, counting in {@code handedOver} those {@code out} took. */
    private void encode(byte[] rows, ZarrArrayMetadata md, Path dir, ChunkFiles out, long k, Runnable stored, int[] handedOver)
            throws IOException {
        Encoder enc = encoders.poll();
        if (enc == null) {
            int maxChunkBytes = chunkRows * chunkCols * dtype.size();
            enc = new Encoder(new ChunkEncoder(compressor, filters, dtype.size(), maxChunkBytes),
                    chunkCols == channels ? null : new byte[maxChunkBytes]);
        }
        try {
            int colChunks = (channels + chunkCols - 1) / chunkCols;
            int chunkRowsHere = md.chunks()[0];
            int item = dtype.size();
            int chunkRowBytes = chunkCols * item;
            for (int j = 0; j < colChunks; j++) {
                byte[] raw = rows;
                if (enc.gather != null) {
                    int col0 = j * chunkCols;
                    int width = Math.min(chunkCols, channels - col0) * item;
                    for (int r = 0; r < chunkRowsHere; r++) {
                        System.arraycopy(rows, r * rowBytes + col0 * item, enc.gather, r * chunkRowBytes, width);
                        for (int p = width; p < chunkRowBytes; p += fill.length) {
                            System.arraycopy(fill, 0, enc.gather, r * chunkRowBytes + p, fill.length);
                        }
                    }
                    raw = enc.gather;
                }
                ChunkEncoder.Encoded e = enc.codecs.encode(raw, chunkRowsHere * chunkRowBytes);
                out.write(new long[] {k, j}, e.array(), e.length(), stored);
                handedOver[0]++;
            }
            if (k == 0) {
                for (Path file : ZarrWriter.metadataFiles(dir)) {
                    sync.file(file);
                }
            }
            sync.directory(dir);
        } finally {
            encoders.offer(enc);
        }
    }

    private void rethrow() throws IOException {
        Throwable t = failure.get();
        if (t instanceof UncheckedIOException u) {
            throw u.getCause();
        }
        if (t instanceof MemmapException m) {
            throw m;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }

    @Override
    public void finish() throws IOException {
        awaitWorkers();
        rethrow();
        segments.forEach(ChunkFiles::finish);
        sync.await();
    }

    @Override
    public long bytesWritten() {
        return written.get() + segments.stream().mapToLong(ChunkFiles::bytesWritten).sum();
    }

    private void awaitWorkers() throws InterruptedIOException {
        try {
            buffers.awaitAllReturned();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for chunk writers");
        }
    }


    @Override
    public void close() {
        fail(new IllegalStateException("closed"));
        if (current != null) {
            buffers.give(current);
            current = null;
        }
        try {
            awaitWorkers();
        } catch (InterruptedIOException e) {
            // Interrupted while giving up: the temporary output is removed by the caller anyway.
        }
        sync.close();
        for (Encoder e; (e = encoders.poll()) != null; ) {
            e.codecs.close();
        }
    }
}
