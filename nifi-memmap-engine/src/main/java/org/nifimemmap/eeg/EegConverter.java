package org.nifimemmap.eeg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.BackgroundSync;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import com.fasterxml.jackson.databind.JsonNode;
import org.nifimemmap.zarr.ChunkFiles;
import org.nifimemmap.zarr.ChunkPipeline;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrWriter;

/**
 * Converts a raw interleaved recording into a Zarr v2 or v3 store in SpikeInterface's recording layout:
 * group attributes {@code sampling_frequency} and {@code num_segments} = 1, arrays {@code traces_seg0}
 * (samples × channels, little-endian), {@code channel_ids}, {@code t_starts} and {@code properties/} as the
 * recording's metadata gives them ({@link SpikeInterfaceArrays}), each with xarray's {@code _ARRAY_DIMENSIONS};
 * plus a {@code nifi_memmap} attribute recording the source and the conversion parameters. A v3 store holds the same
 * nodes, each described by its {@code zarr.json}; its traces may be sharded, many chunks to a shard file.
 *
 * <p>The input is mapped read-only in windows of at most 1 GiB that hold whole chunks. Each chunk is
 * copied from the mapping into one of at most {@code buffersInFlight} reusable buffer slots, byte-swapped
 * if needed, padded, encoded and written as its own chunk file (or appended to its shard) by a task on the pool; the thread calling
 * {@link #convert} only maps windows and hands out slots, so heap use depends on the chunk size and the
 * slot count, never on the input size. A {@link BackgroundSync} per conversion forces chunk files
 * to disk as they are written, so the atomic commit's fsync finds little left to do. Instances are
 * thread-safe; conversions may share the pool.
 */
public final class EegConverter {
    /** Beyond this a channel count is a mistake (a wrong header or type), not a recording. */
    public static final int MAX_CHANNELS = 65536;
    /** Default chunk size: a few MB compress well and keep reads of short intervals cheap. */
    public static final int DEFAULT_CHUNK_BYTES = 4 << 20;
    public static final int MAX_CHUNK_BYTES = 256 << 20;
    static final long MAX_WINDOW = 1L << 30;
    static final int FORMAT_VERSION = 1;

    private final ExecutorService pool;
    private final int buffersInFlight;
    private final long maxWindow;

    /**
     * @param pool            runs the chunk tasks (the caller owns it)
     * @param buffersInFlight how many chunk buffers may exist at once (at least 1); 2 × the pool's threads keeps every thread busy
     */
    public EegConverter(ExecutorService pool, int buffersInFlight) {
        this(pool, buffersInFlight, MAX_WINDOW);
    }

    /** With a smaller mapping window, so tests cross window boundaries without gigabytes of input. */
    EegConverter(ExecutorService pool, int buffersInFlight, long maxWindow) {
        if (buffersInFlight < 1) {
            throw new IllegalArgumentException("buffersInFlight must be at least 1: " + buffersInFlight);
        }
        this.pool = pool;
        this.buffersInFlight = buffersInFlight;
        this.maxWindow = Math.min(maxWindow, MAX_WINDOW);
    }

    /**
     * Converts one recording.
     *
     * @throws MemmapException naming the file and the numbers when the input, the parameters or the output are wrong;
     *                         no output (and no temporary) is left behind
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted; the chunks in flight
     *                         finish first, then the temporary output is removed
     */
    public EegConversionResult convert(EegConversionRequest request) {
        RecordingMetadata metadata = RecordingMetadata.of(request.input().toAbsolutePath().normalize(), request.format(), request.stream());
        Path input = metadata.data().toAbsolutePath().normalize();
        long inputBytes = checkInput(input);
        if (input.startsWith(request.output().toAbsolutePath().normalize())) {
            // REPLACE would delete the recording being converted.
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Output " + request.output() + " would overwrite the recording " + input);
        }
        RecordingShape shape = RecordingShape.of(request, metadata, inputBytes);
        int level = request.compression().resolveLevel(request.compressionLevel());
        try (AtomicOutput out = AtomicOutput.begin(request.output(), request.conflict())) {
            if (out.skipped()) {
                return shape.result(out.target(), inputBytes, 0, true, false, null);
            }
            Written written;
            try {
                written = write(out.temporary(), request, input, inputBytes, shape, level);
            } catch (IOException e) {
                throw AtomicOutput.writeFailure(out.target(), e);
            }
            boolean placed = out.commit();
            return shape.result(out.target(), inputBytes, placed ? written.bytes() : 0, !placed, out.replacedExisting(),
                    placed ? written.fingerprint() : null);
        }
    }

    private static long checkInput(Path input) {
        if (!Files.exists(input)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Recording not found: " + input);
        }
        if (!Files.isRegularFile(input)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording is not a regular file: " + input);
        }
        if (!Files.isReadable(input)) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording is not readable: " + input);
        }
        try {
            long size = Files.size(input);
            if (size == 0) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, "Recording is empty (0 bytes): " + input);
            }
            return size;
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read the size of recording " + input + ": " + e, e);
        }
    }

    private record Written(long bytes, String fingerprint) {
    }

    private Written write(Path dir, EegConversionRequest request, Path input, long inputBytes,
                          RecordingShape shape, int level) throws IOException {
        ZarrArrayMetadata traces = tracesMetadata(request, shape, level);
        ZarrFormat format = request.zarrFormat();
        // A v3 group's attributes are in its zarr.json: it is written once, when they are known.
        long bytes = format == ZarrFormat.V2 ? ZarrWriter.writeGroup(dir, null) : 0;
        Files.createDirectories(dir);
        Path tracesDir = dir.resolve("traces_seg0");
        bytes += ZarrWriter.createArray(tracesDir, traces, dimensions("time_seg0", "channel"));
        bytes += SpikeInterfaceArrays.write(dir, format, shape.channels(), shape.metadata());

        long chunkBytes;
        int fingerprint;
        try (FileChannel ch = openInput(input)) {
            Crc32cCombiner crc = new Crc32cCombiner(headerCrc(ch, input, shape.headerBytes()));
            chunkBytes = new ChunkWriter(ch, input, inputBytes, request, shape, traces, tracesDir, crc).run();
            fingerprint = crc.value();
            if (ch.size() != inputBytes) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording " + input + " changed size while converted: "
                        + inputBytes + " -> " + ch.size() + " bytes");
            }
        }
        String print = String.format("crc32c:%08x", fingerprint);
        bytes += ZarrWriter.writeGroupAttributes(dir, format, groupAttributes(request, input, inputBytes, shape, level, print));
        return new Written(bytes + chunkBytes, print);
    }

    private static ZarrArrayMetadata tracesMetadata(EegConversionRequest request, RecordingShape shape, int level) {
        ZarrDtype dtype = shape.sampleType().zarrDtype();
        int item = dtype.size();
        long[] extent = {shape.samples(), shape.channels()};
        int[] chunks = {shape.chunkSamples(), shape.channels()};
        JsonNode compressor = request.compression().compressorConfig(level, item);
        JsonNode fill = shape.sampleType().isFloatingPoint() ? Json.object().numberNode(0.0) : Json.object().numberNode(0);
        if (request.zarrFormat() == ZarrFormat.V2) {
            return new ZarrArrayMetadata(extent, chunks, dtype, compressor, request.compression().filterConfigs(item), fill, ".");
        }
        int[] shards = shape.shardSamples() > 0 ? new int[] {shape.shardSamples(), shape.channels()} : null;
        return ZarrArrayMetadata.v3(extent, chunks, shards, dtype, compressor, request.compression().filterConfigs(item), fill);
    }

    private static FileChannel openInput(Path input) {
        try {
            return FileChannel.open(input, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Recording not found: " + input, e);
        } catch (AccessDeniedException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording is not readable: " + input, e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot open recording " + input + ": " + e, e);
        }
    }

    private static int headerCrc(FileChannel ch, Path input, long headerBytes) {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(headerBytes, 1 << 20));
        try {
            for (long pos = 0; pos < headerBytes; ) {
                buf.clear().limit((int) Math.min(buf.capacity(), headerBytes - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording " + input + " ended inside its header at byte " + pos);
                }
                crc.update(buf.flip());
                pos += n;
            }
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read the header of recording " + input + ": " + e, e);
        }
        return (int) crc.getValue();
    }

    private static ObjectNode dimensions(String... names) {
        ObjectNode attrs = Json.object();
        Arrays.stream(names).forEach(attrs.putArray("_ARRAY_DIMENSIONS")::add);
        return attrs;
    }

    private static ObjectNode groupAttributes(EegConversionRequest request, Path input, long inputBytes,
                                              RecordingShape shape, int level, String fingerprint) throws IOException {
        ObjectNode attrs = Json.object();
        attrs.put("sampling_frequency", shape.samplingRate());
        attrs.put("num_segments", 1);
        ObjectNode ours = attrs.putObject("nifi_memmap");
        ours.put("format_version", FORMAT_VERSION);
        ours.put("converter", "nifi-memmap ConvertEegToZarr");
        ObjectNode source = ours.putObject("source");
        source.put("path", input.toString());
        source.put("size_bytes", inputBytes);
        source.put("last_modified", Files.getLastModifiedTime(input).toInstant().toString());
        source.put("fingerprint", fingerprint);
        source.put("sample_type", shape.sampleType().name().toLowerCase(java.util.Locale.ROOT));
        source.put("byte_order", shape.byteOrder() == ByteOrder.BIG_ENDIAN ? "big" : "little");
        source.put("header_bytes", shape.headerBytes());
        source.put("parameters_from", shape.parametersFrom());
        source.put("format", shape.metadata().format().label());
        if (shape.metadata().metadataFile() != null) {
            source.put("metadata_file", shape.metadata().metadataFile().toString());
        }
        ours.put("channels", shape.channels());
        ours.put("samples", shape.samples());
        ours.put("duration_seconds", shape.samples() / shape.samplingRate());
        ours.put("chunk_samples", shape.chunkSamples());
        ours.put("zarr_format", request.zarrFormat().number());
        if (shape.shardSamples() > 0) {
            ours.put("shard_samples", shape.shardSamples());
        }
        ours.put("compression", request.compression().name().toLowerCase(java.util.Locale.ROOT));
        ours.put("compression_level", level);
        return attrs;
    }

    /** One slot: a chunk buffer and the codec state that encodes it, owned by one task at a time. */
    private static final class Slot {
        final byte[] raw;
        final ChunkPipeline pipeline;
        final CRC32C crc = new CRC32C();

        Slot(ZarrArrayMetadata traces) {
            this.raw = new byte[traces.chunkBytes()];
            this.pipeline = traces.newPipeline();
        }
    }

    /** Maps the input window by window and runs one task per chunk with at most {@code buffersInFlight} slots. */
    private final class ChunkWriter {
        private final FileChannel channel;
        private final Path input;
        private final long inputBytes;
        private final EegConversionRequest request;
        private final RecordingShape shape;
        private final ZarrArrayMetadata traces;
        private final Path tracesDir;
        private final Crc32cCombiner crc;
        private final BlockingQueue<Slot> free = new ArrayBlockingQueue<>(buffersInFlight);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final List<Slot> idle = new java.util.ArrayList<>();
        private ChunkFiles files;
        private int slots;

        ChunkWriter(FileChannel channel, Path input, long inputBytes, EegConversionRequest request, RecordingShape shape,
                    ZarrArrayMetadata traces, Path tracesDir, Crc32cCombiner crc) {
            this.channel = channel;
            this.input = input;
            this.inputBytes = inputBytes;
            this.request = request;
            this.shape = shape;
            this.traces = traces;
            this.tracesDir = tracesDir;
            this.crc = crc;
        }

        /** Writes every chunk; returns the bytes stored. */
        long run() throws IOException {
            boolean interrupted = false;
            try (BackgroundSync f = new BackgroundSync("eeg-zarr " + input.getFileName(), 2 * buffersInFlight);
                 ChunkFiles chunkFiles = new ChunkFiles(tracesDir, traces, f)) {
                files = chunkFiles;
                try {
                    interrupted = submitAll();
                } finally {
                    if (failure.get() != null || interrupted) {
                        // Chunks waiting for their turn in a shard hold slots: hand them back.
                        chunkFiles.abort();
                    }
                    // Every task must be done before the temporary directory may be committed or deleted.
                    interrupted |= awaitSlots();
                }
                if (failure.get() == null && !interrupted) {
                    chunkFiles.finish();
                    f.await();
                }
            } catch (java.io.InterruptedIOException e) {
                interrupted = true;
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } finally {
                closeSlots();
            }
            Throwable t = failure.get();
            if (t instanceof IOException e) {
                throw e;
            }
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof InternalError e) {
                // The JVM turns a fault in a mapped page (file truncated under us) into an InternalError.
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording " + input + " could not be read while mapped"
                        + " (truncated or I/O error): " + e.getMessage(), e);
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Interrupted while converting " + input);
            }
            return files.bytesWritten();
        }

        private boolean submitAll() {
            long frameBytes = shape.frameBytes();
            long chunkFrames = shape.chunkSamples();
            long chunkInputBytes = chunkFrames * frameBytes;
            long chunksPerWindow = Math.max(1, maxWindow / chunkInputBytes);
            long totalChunks = (shape.samples() + chunkFrames - 1) / chunkFrames;
            for (long first = 0; first < totalChunks; first += chunksPerWindow) {
                long last = Math.min(totalChunks, first + chunksPerWindow);
                long start = shape.headerBytes() + first * chunkInputBytes;
                long end = Math.min(inputBytes, shape.headerBytes() + last * chunkInputBytes);
                MappedByteBuffer window = map(start, end - start);
                for (long c = first; c < last; c++) {
                    Slot slot;
                    try {
                        slot = acquire();
                    } catch (InterruptedException e) {
                        return true;
                    }
                    if (failure.get() != null) {
                        free.add(slot);
                        return false;
                    }
                    long chunk = c;
                    int offset = (int) ((c - first) * chunkInputBytes);
                    int frames = (int) Math.min(chunkFrames, shape.samples() - c * chunkFrames);
                    try {
                        pool.execute(() -> encode(slot, window, offset, frames, chunk));
                    } catch (RejectedExecutionException e) {
                        free.add(slot);
                        failure.compareAndSet(null, new MemmapException(ErrorKind.OUTPUT_UNWRITABLE,
                                "Conversion of " + input + " stopped: the thread pool is shut down", e));
                        return false;
                    } catch (RuntimeException | Error e) {
                        free.add(slot);
                        throw e;
                    }
                }
            }
            return false;
        }

        private MappedByteBuffer map(long start, long length) {
            try {
                if (channel.size() < start + length) {
                    throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Recording " + input + " shrank to " + channel.size()
                            + " bytes while converted; needed bytes up to " + (start + length));
                }
                return channel.map(FileChannel.MapMode.READ_ONLY, start, length);
            } catch (IOException e) {
                throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot map recording " + input + " at byte " + start + ": " + e, e);
            }
        }

        private Slot acquire() throws InterruptedException {
            Slot slot = free.poll();
            if (slot == null && slots < buffersInFlight) {
                // Counted only once it exists: awaitSlots waits for every counted slot to come back.
                slot = new Slot(traces);
                slots++;
                return slot;
            }
            return slot != null ? slot : free.take();
        }

        /** Waits for every slot to come back from its task; the slots stay in {@code idle} for closing. */
        private boolean awaitSlots() {
            boolean interrupted = false;
            while (idle.size() < slots) {
                try {
                    idle.add(free.take());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            return interrupted;
        }

        private void closeSlots() {
            idle.forEach(slot -> slot.pipeline.close());
        }

        private void encode(Slot slot, MappedByteBuffer window, int offset, int frames, long chunk) {
            boolean handedOver = false;
            try {
                if (failure.get() != null) {
                    return;
                }
                int n = frames * shape.frameBytes();
                window.get(offset, slot.raw, 0, n);
                slot.crc.reset();
                slot.crc.update(slot.raw, 0, n);
                crc.add(chunk, (int) slot.crc.getValue(), n);
                if (shape.byteOrder() == ByteOrder.BIG_ENDIAN) {
                    ByteSwap.swap(slot.raw, n, shape.sampleType().bytes());
                }
                Arrays.fill(slot.raw, n, slot.raw.length, (byte) 0);
                ChunkPipeline.Encoded encoded = slot.pipeline.encode(slot.raw);
                files.write(new long[] {chunk, 0}, encoded.array(), encoded.length(), () -> free.add(slot));
                handedOver = true;
            } catch (Throwable t) {
                if (failure.compareAndSet(null, t)) {
                    files.abort();
                }
            } finally {
                if (!handedOver) {
                    free.add(slot);
                }
            }
        }
    }
}
