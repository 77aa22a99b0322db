package org.nifimemmap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConversionResult;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrFormat;

/**
 * EEG → Zarr benchmark, run by {@code bench/eeg.sh}:
 * <pre>
 * generate FILE BYTES CHANNELS RATE      write a synthetic int16 recording
 * convert FILE STORE COMPRESSION LEVEL CHANNELS RATE CHUNK_SAMPLES THREADS [ZARR_FORMAT SHARD_SAMPLES]
 * codec FILE COMPRESSION CHANNELS CHUNK_SAMPLES THREADS   encode the file's chunks in memory only: the codec ceiling
 * </pre>
 * {@code convert} prints one line of {@code key=value} figures, including peak heap (sum of the heap
 * pools' peaks) and peak RSS (VmHWM).
 */
public final class EegConversionBenchmark {
    private EegConversionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
            case "codec" -> codec(Path.of(args[1]), Compression.parse(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "convert" -> convert(Path.of(args[1]), Path.of(args[2]), Compression.parse(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Double.parseDouble(args[6]), Integer.parseInt(args[7]), Integer.parseInt(args[8]),
                    args.length > 9 ? ZarrFormat.parse(args[9]) : ZarrFormat.V2, args.length > 10 ? Integer.parseInt(args[10]) : 0);
            default -> throw new IllegalArgumentException("usage: generate|convert ...");
        }
    }

    private static void convert(Path input, Path store, Compression compression, int level, int channels, double rate,
                                int chunkSamples, int threads, ZarrFormat format, int shardSamples) throws IOException {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        EegConversionResult r;
        try {
            EegConversionRequest request = new EegConversionRequest(input, store, channels, rate, SampleType.INT16,
                    ByteOrder.LITTLE_ENDIAN, 0, chunkSamples, compression, level, ConflictStrategy.REPLACE);
            r = new EegConverter(pool, 2 * threads).convert(format == ZarrFormat.V3 ? request.asV3(shardSamples) : request);
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long peakHeap = MemoryPeaks.heapBytes();
        long gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionCount())).sum();
        System.out.printf(Locale.ROOT, "engine_seconds=%.3f input_bytes=%d output_bytes=%d samples=%d peak_heap_mb=%.1f gc_count=%d vmhwm_mb=%.1f max_heap_mb=%d%n",
                seconds, r.inputBytes(), r.outputBytes(), r.samples(), peakHeap / 1048576.0, gcs, MemoryPeaks.vmHwmKb() / 1024.0,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Encodes every chunk of the file with the engine's pipeline on THREADS threads, no disk writes, after one warm-up pass. */
    private static void codec(Path input, Compression compression, int channels, int chunkSamples, int threads) throws Exception {
        int chunkBytes = chunkSamples * channels * 2;
        var md = new org.nifimemmap.zarr.ZarrArrayMetadata(new long[] {chunkSamples, channels}, new int[] {chunkSamples, channels},
                SampleType.INT16.zarrDtype(), compression.compressorConfig(compression.defaultLevel(), 2), compression.filterConfigs(2), null, ".");
        try (FileChannel ch = FileChannel.open(input, StandardOpenOption.READ)) {
            long chunks = Math.min(ch.size(), 1L << 30) / chunkBytes;
            var map = ch.map(FileChannel.MapMode.READ_ONLY, 0, chunks * chunkBytes);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int pass = 0; pass < 2; pass++) {
                    long t0 = System.nanoTime();
                    java.util.concurrent.atomic.LongAdder out = new java.util.concurrent.atomic.LongAdder();
                    List<Future<?>> jobs = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int worker = t;
                        jobs.add(pool.submit(() -> {
                            byte[] raw = new byte[chunkBytes];
                            try (var pipeline = md.newPipeline()) {
                                for (long c = worker; c < chunks; c += threads) {
                                    map.get((int) (c * chunkBytes), raw, 0, chunkBytes);
                                    out.add(pipeline.encode(raw).length());
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : jobs) {
                        f.get();
                    }
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    if (pass == 1) {
                        System.out.printf(Locale.ROOT, "codec=%s threads=%d bytes=%d seconds=%.3f MB/s=%.0f ratio=%.3f%n", compression, threads,
                                chunks * chunkBytes, seconds, chunks * chunkBytes / 1e6 / seconds, (double) chunks * chunkBytes / out.sum());
                    }
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    /**
     * int16 traces with a realistic structure: 1/f-like background (three AR(1) processes), theta (8 Hz)
     * and gamma (40 Hz) oscillations with per-channel phase, white amplifier noise, and spikes that appear
     * on groups of neighbouring channels. Written in parallel slabs; each slab warms its filters up first.
     */
    private static void generate(Path file, long bytes, int channels, double rate) throws Exception {
        long frames = bytes / (2L * channels);
        int threads = Runtime.getRuntime().availableProcessors();
        int slabFrames = 1 << 16;
        long slabs = (frames + slabFrames - 1) / slabFrames;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int worker = t;
                    jobs.add(pool.submit(() -> {
                        ByteBuffer buf = ByteBuffer.allocate(slabFrames * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
                        for (long s = worker; s < slabs; s += threads) {
                            long first = s * slabFrames;
                            int n = (int) Math.min(slabFrames, frames - first);
                            fill(buf, first, n, channels, rate, s);
                            buf.flip();
                            long pos = first * channels * 2;
                            while (buf.hasRemaining()) {
                                pos += ch.write(buf, pos);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    private static final int SPIKE_LENGTH = 24;
    private static final float[] SPIKE = new float[SPIKE_LENGTH];

    static {
        for (int i = 0; i < SPIKE_LENGTH; i++) {
            double t = i / 20.0;
            SPIKE[i] = (float) (-250 * Math.exp(-Math.pow((t - 0.3) / 0.12, 2)) + 60 * Math.exp(-Math.pow((t - 0.65) / 0.25, 2)));
        }
    }

    private static void fill(ByteBuffer buf, long first, int n, int channels, double rate, long seed) {
        buf.clear();
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        double[] slow = new double[channels];
        double[] mid = new double[channels];
        double common = 0;
        int[] spikeAt = new int[channels];
        java.util.Arrays.fill(spikeAt, -1);
        double theta = 2 * Math.PI * 8 / rate;
        double gamma = 2 * Math.PI * 40 / rate;
        int warm = 2000;
        for (int f = -warm; f < n; f++) {
            long t = first + f;
            common = 0.9995 * common + gauss(rnd.nextLong()) * 3.0;
            double th = 180 * Math.sin(theta * t);
            double ga = 25 * Math.sin(gamma * t);
            // A spike somewhere every ~2 ms, seen by 4 neighbouring channels.
            if (f >= 0 && rnd.nextInt(40) == 0) {
                int c0 = rnd.nextInt(channels);
                for (int c = c0; c < Math.min(channels, c0 + 4); c++) {
                    spikeAt[c] = 0;
                }
            }
            for (int c = 0; c < channels; c++) {
                slow[c] = 0.999 * slow[c] + gauss(rnd.nextLong()) * 4.0;
                mid[c] = 0.95 * mid[c] + gauss(rnd.nextLong()) * 8.0;
                if (f < 0) {
                    continue;
                }
                double v = common + slow[c] + mid[c] + th * (1 + 0.002 * c) + ga + gauss(rnd.nextLong()) * 8.0;
                if (spikeAt[c] >= 0) {
                    v += SPIKE[spikeAt[c]];
                    spikeAt[c] = spikeAt[c] + 1 == SPIKE_LENGTH ? -1 : spikeAt[c] + 1;
                }
                buf.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v))));
            }
        }
    }

    /** A cheap approximately normal deviate of unit variance: the sum of the four 16-bit uniforms in {@code bits}. */
    private static double gauss(long bits) {
        long sum = (bits & 0xFFFF) + (bits >>> 16 & 0xFFFF) + (bits >>> 32 & 0xFFFF) + (bits >>> 48);
        return (sum - 131070.0) * (1.7320508 / 65536.0);
    }
}
