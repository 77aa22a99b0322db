package org.nifimemmap.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.intervals.IntervalSet;
import org.nifimemmap.intervals.SampleClock;
import org.nifimemmap.intervals.SampleRange;
import org.nifimemmap.intervals.SampleSelection;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.restrict.RestrictEngine;
import org.nifimemmap.restrict.RestrictRequest;
import org.nifimemmap.restrict.RestrictResult;
import org.nifimemmap.zarr.ChunkPipeline;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrWriter;

/**
 * RestrictByIntervals benchmark, run by {@code bench/restrict.sh}: on a generated 2 GiB Zarr recording
 * (64 int16 channels, 20 kHz, shuffle+zstd-3, 1 s chunks) restrict (a) 1% of the duration in 10 intervals
 * and (b) 50% in 1,000 intervals, with our engine (1 and 2 threads) and, in the same run, with numpy +
 * zarr-python (bench/restrict_baseline.py), each several times, interleaved, on a machine whose cores
 * other builds share: best and median times are reported. Our outputs are forced to disk before they
 * are renamed into place, zarr-python's are not, so both also write once to tmpfs, where forcing is free.
 * <pre>
 * RestrictBenchmark WORKDIR BASELINE_SCRIPT
 * </pre>
 */
public final class RestrictBenchmark {
    private static final int CHANNELS = 64;
    private static final double RATE = 20_000;
    private static final long SAMPLES = (2L << 30) / (CHANNELS * 2);
    private static final int CHUNK_ROWS = 20_000;
    private static final int REPS = Integer.getInteger("restrict.bench.reps", 3);

    private RestrictBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path baseline = Path.of(args[1]);
        Files.createDirectories(work);
        Path store = work.resolve("recording.zarr");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            if (!Files.exists(store.resolve(".zattrs"))) {
                long t = System.nanoTime();
                generate(store, pool);
                System.out.printf(Locale.ROOT, "generated %s in %.1f s%n", store, (System.nanoTime() - t) / 1e9);
            }
            long stored = storedBytes(store.resolve("traces_seg0"));
            System.out.printf(Locale.ROOT, "source: %d samples x %d ch int16 = %.2f GiB raw, %.2f GiB stored (ratio %.2f), %.1f s at %.0f Hz, chunks %d x %d%n",
                    SAMPLES, CHANNELS, SAMPLES * CHANNELS * 2 / 1073741824.0, stored / 1073741824.0,
                    SAMPLES * CHANNELS * 2.0 / stored, SAMPLES / RATE, RATE, CHUNK_ROWS, CHANNELS);
            System.out.printf(Locale.ROOT, "JVM max heap %d MiB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors());
            warm(store);
            double duration = SAMPLES / RATE;
            runCase("a", "1% of duration in 10 intervals", intervals(10, 0.01, duration, 11), store, work, baseline, true);
            runCase("b", "50% of duration in 1000 intervals", intervals(1000, 0.5, duration, 12), store, work, baseline, false);
        } finally {
            pool.shutdown();
        }
    }

    /** {@code count} intervals covering {@code fraction} of the duration, one at a random place in each equal slot. */
    private static Path intervals(int count, double fraction, double duration, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double slot = duration / count;
        double length = fraction * slot;
        ObjectNode json = Json.object();
        var starts = json.putArray("start");
        var ends = json.putArray("end");
        for (int k = 0; k < count; k++) {
            double s = k * slot + rnd.nextDouble() * (slot - length);
            starts.add(s);
            ends.add(s + length);
        }
        try {
            Path file = Files.createTempFile("intervals-", ".json");
            Files.write(file, Json.MAPPER.writeValueAsBytes(json));
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One measured run of one contender. */
    private record Run(double seconds, long bytesRead, long segments, double peakHeapMiB, double peakRssMiB) {
    }

    private static void runCase(String name, String what, Path intervalsFile, Path store, Path work, Path baseline,
                                boolean checkBytes) throws Exception {
        IntervalSet intervals = IntervalParser.parseFile(intervalsFile);
        List<SampleRange> ranges = SampleSelection.select(intervals, new SampleClock(0, RATE, SAMPLES));
        long kept = SampleSelection.totalSamples(ranges);
        long keptRawBytes = kept * CHANNELS * 2;
        System.out.printf(Locale.ROOT, "%n== (%s) %s: %d samples kept (%.1f MiB raw), best and median of %d runs ==%n",
                name, what, kept, keptRawBytes / 1048576.0, REPS);
        Path shm = Path.of("/dev/shm");
        boolean tmpfs = Files.isDirectory(shm) && Files.isWritable(shm);
        String[] contenders = tmpfs
                ? new String[] {"engine 1 thread, disk", "engine 2 threads, disk", "numpy 1 thread, disk", "engine 2 threads, tmpfs", "numpy 1 thread, tmpfs"}
                : new String[] {"engine 1 thread, disk", "engine 2 threads, disk", "numpy 1 thread, disk"};
        List<List<Run>> runs = new ArrayList<>();
        for (int c = 0; c < contenders.length; c++) {
            runs.add(new ArrayList<>());
        }
        for (int rep = 0; rep < REPS; rep++) {
            for (int c = 0; c < contenders.length; c++) {
                Path dir = contenders[c].endsWith("tmpfs") ? shm : work;
                Path out = dir.resolve("restrict-bench-out-" + name + ".zarr");
                AtomicOutput.deleteTree(out);
                Run r = contenders[c].startsWith("engine")
                        ? engine(store, intervals, out, contenders[c].startsWith("engine 1") ? 1 : 2, kept)
                        : numpy(baseline, store, intervalsFile, out, kept);
                AtomicOutput.deleteTree(out);
                runs.get(c).add(r);
            }
        }
        double[] best = new double[contenders.length];
        for (int c = 0; c < contenders.length; c++) {
            List<Run> rs = runs.get(c);
            double[] t = rs.stream().mapToDouble(Run::seconds).sorted().toArray();
            best[c] = t[0];
            Run last = rs.get(rs.size() - 1);
            System.out.printf(Locale.ROOT, "%-24s best %6.2f s (%5.0f MB/s kept), median %6.2f s, runs %s; read %.1f MiB, %d segments, peak heap %s, peak RSS %.0f MiB%n",
                    contenders[c], t[0], keptRawBytes / t[0] / 1e6, t[t.length / 2],
                    rs.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.seconds())).toList(), last.bytesRead() / 1048576.0,
                    last.segments(), Double.isNaN(last.peakHeapMiB()) ? "-" : String.format(Locale.ROOT, "%.0f MiB", last.peakHeapMiB()),
                    last.peakRssMiB());
        }
        System.out.printf(Locale.ROOT, "throughput engine/numpy (best times), disk: %.2fx with 1 thread, %.2fx with 2 threads%n",
                best[2] / best[0], best[2] / best[1]);
        if (tmpfs) {
            System.out.printf(Locale.ROOT, "throughput engine/numpy (best times), tmpfs (no disk syncs): %.2fx with 2 threads%n", best[4] / best[3]);
        }
        if (checkBytes) {
            long holding = chunksHolding(store.resolve("traces_seg0"), ranges);
            long read = runs.get(0).get(0).bytesRead();
            System.out.printf(Locale.ROOT, "bytes read %d vs compressed chunks holding kept samples %d: ratio %.3f (target <= 1.1)%n",
                    read, holding, (double) read / holding);
        }
        Files.deleteIfExists(intervalsFile);
    }

    private static Run engine(Path store, IntervalSet intervals, Path out, int threads, long expectedSamples) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        resetPeaks();
        long t = System.nanoTime();
        RestrictResult r;
        try {
            r = RestrictEngine.restrict(new RestrictRequest(store, RestrictRequest.InputKind.ZARR_RECORDING, null, null, intervals,
                    out, RestrictRequest.OutputFormat.ZARR, null, -1, 0, ConflictStrategy.REPLACE), pool);
        } finally {
            pool.shutdown();
        }
        double s = (System.nanoTime() - t) / 1e9;
        if (r.samplesKept() != expectedSamples) {
            throw new IllegalStateException("engine kept " + r.samplesKept() + " samples, expected " + expectedSamples);
        }
        return new Run(s, r.bytesRead(), r.intervalsKept(), MemoryPeaks.heapBytes() / 1048576.0, MemoryPeaks.vmHwmKb() / 1024.0);
    }

    private static Run numpy(Path baseline, Path store, Path intervalsFile, Path out, long expectedSamples) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", baseline.toString(), store.toString(), intervalsFile.toString(), out.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("baseline failed: " + line);
        }
        JsonNode py = Json.MAPPER.readTree(line);
        if (py.get("samples").asLong() != expectedSamples) {
            throw new IllegalStateException("baseline kept " + py.get("samples") + " samples, engine " + expectedSamples);
        }
        return new Run(py.get("seconds").asDouble(), py.get("bytes_read").asLong(), py.get("segments").asLong(), Double.NaN,
                py.get("max_rss_kb").asLong() / 1024.0);
    }

    /** Sum of the stored sizes of the distinct chunk files whose rows hold kept samples. */
    private static long chunksHolding(Path array, List<SampleRange> ranges) throws IOException {
        Set<Long> rows = new HashSet<>();
        for (SampleRange r : ranges) {
            for (long k = r.first() / CHUNK_ROWS; k <= (r.endExclusive() - 1) / CHUNK_ROWS; k++) {
                rows.add(k);
            }
        }
        long bytes = 0;
        for (long k : rows) {
            bytes += Files.size(array.resolve(k + ".0"));
        }
        return bytes;
    }

    private static long storedBytes(Path array) throws IOException {
        try (Stream<Path> files = Files.list(array)) {
            return files.filter(f -> !f.getFileName().toString().startsWith(".")).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    /** Reads every chunk once so both contenders start with the recording in the page cache. */
    private static void warm(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.readAllBytes(f);
            }
        }
    }

    /**
     * A synthetic extracellular recording: per channel theta (8 Hz) and gamma (40 Hz) rhythms with channel
     * phase offsets, a slow AR(1) drift and white noise, as int16 around ±1500. Chunks are independent so
     * they are generated in parallel.
     */
    private static void generate(Path store, ExecutorService pool) throws Exception {
        Path tmp = store.resolveSibling(".recording.zarr.tmp");
        AtomicOutput.deleteTree(tmp);
        ObjectNode attrs = Json.object();
        attrs.put("sampling_frequency", RATE);
        attrs.put("num_segments", 1);
        ZarrWriter.writeGroup(tmp, attrs);
        ZarrDtype dtype = ZarrDtype.parse("<i2");
        ZarrArrayMetadata md = new ZarrArrayMetadata(new long[] {SAMPLES, CHANNELS}, new int[] {CHUNK_ROWS, CHANNELS}, dtype,
                Compression.ZSTD.compressorConfig(3, 2), Compression.ZSTD.filterConfigs(2), Json.object().numberNode(0), ".");
        ObjectNode dims = Json.object();
        dims.putArray("_ARRAY_DIMENSIONS").add("time_seg0").add("channel");
        Path traces = tmp.resolve("traces_seg0");
        ZarrWriter.createArray(traces, md, dims);
        long chunks = (SAMPLES + CHUNK_ROWS - 1) / CHUNK_ROWS;
        short[] theta = table(2500, 700);
        short[] gamma = table(500, 150);
        List<Future<?>> futures = new ArrayList<>();
        ThreadLocal<ChunkPipeline> pipelines = ThreadLocal.withInitial(md::newPipeline);
        for (long k = 0; k < chunks; k++) {
            long chunk = k;
            futures.add(pool.submit(() -> {
                byte[] raw = new byte[md.chunkBytes()];
                ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                SplittableRandom rnd = new SplittableRandom(chunk * 7919 + 1);
                double[] drift = new double[CHANNELS];
                long first = chunk * CHUNK_ROWS;
                int rows = (int) Math.min(CHUNK_ROWS, SAMPLES - first);
                for (int r = 0; r < rows; r++) {
                    long i = first + r;
                    for (int c = 0; c < CHANNELS; c++) {
                        drift[c] = 0.999 * drift[c] + rnd.nextGaussian() * 4;
                        double v = theta[(int) ((i + 37L * c) % theta.length)] + gamma[(int) ((i + 11L * c) % gamma.length)]
                                + drift[c] + rnd.nextGaussian() * 20;
                        b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v))));
                    }
                }
                ChunkPipeline.Encoded e = pipelines.get().encode(raw);
                ZarrWriter.writeChunk(traces, md, new long[] {chunk, 0}, e.array(), e.length());
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        ByteBuffer ids = ByteBuffer.allocate(CHANNELS * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < CHANNELS; c++) {
            ids.putLong(c);
        }
        ObjectNode ch = Json.object();
        ch.putArray("_ARRAY_DIMENSIONS").add("channel");
        ZarrWriter.writeSmallArray(tmp.resolve("channel_ids"), new ZarrArrayMetadata(new long[] {CHANNELS}, new int[] {CHANNELS},
                ZarrDtype.INT64, null, List.of(), Json.object().numberNode(0), "."), ch, ids.array());
        ObjectNode seg = Json.object();
        seg.putArray("_ARRAY_DIMENSIONS").add("segment");
        ZarrWriter.writeSmallArray(tmp.resolve("t_starts"), new ZarrArrayMetadata(new long[] {1}, new int[] {1},
                ZarrDtype.FLOAT64, null, List.of(), Json.object().textNode("NaN"), "."), seg, new byte[8]);
        Files.move(tmp, store);
    }

    private static short[] table(int period, double amplitude) {
        short[] t = new short[period];
        for (int i = 0; i < period; i++) {
            t[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * i / period));
        }
        return t;
    }

    private static void resetPeaks() throws IOException {
        System.gc();
        MemoryPeaks.resetHeap();
        try {
            // Linux: writing 5 resets the process's peak RSS (VmHWM), so each run reports its own.
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (NoSuchFileException | java.nio.file.AccessDeniedException e) {
            // Not Linux, or not allowed: VmHWM is then the process-wide peak.
        }
    }
}
