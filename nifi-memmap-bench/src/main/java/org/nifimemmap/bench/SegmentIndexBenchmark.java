package org.nifimemmap.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.circuit.SegmentIndexResult;
import org.nifimemmap.sonata.nodes.CellElements;
import org.nifimemmap.sonata.nodes.MorphologyLocator;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * Builds segment indexes from generated SONATA nodes files (every cell the circuit-10 morphology) and measures build
 * time, peak heap and RSS, elements/s, bytes per element, open time and small box query latency, against a
 * brute-force scan of the same mapped records in the same run. The build is also split: reading nodes and placing
 * every cell without an index, to show where the time goes.
 * usage: SegmentIndexBenchmark MORPHOLOGY_DIR NODES_FILE... (each made by bench/make_segment_nodes.py)
 */
public final class SegmentIndexBenchmark {
    private static final int QUERIES = 100_000;
    private static final int SCANS = 20;
    private static final double BOX_SIDE = 10.0;

    public static void main(String[] args) throws Exception {
        Path morphologies = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            run(Path.of(args[i]), morphologies);
        }
    }

    private static void run(Path nodes, Path morphologies) throws Exception {
        Path out = Files.createTempDirectory(nodes.toAbsolutePath().getParent(), "segment-index-bench-");
        try {
            long t0 = System.nanoTime();
            long placed = placeOnly(nodes, morphologies);
            double placeS = (System.nanoTime() - t0) / 1e9;

            System.gc();
            MemoryPeaks.resetHeap();
            String loadBefore = loadAverage();
            long cpu0 = processCpuNanos();
            long thread0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            t0 = System.nanoTime();
            SegmentIndexResult r = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(nodes, morphologies, out, 8L << 30)).get(0);
            double buildS = (System.nanoTime() - t0) / 1e9;
            double threadS = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - thread0) / 1e9;
            double cpuS = (processCpuNanos() - cpu0) / 1e9;
            long peakHeap = MemoryPeaks.heapBytes();
            long n = r.elements();
            long bytes = Files.size(r.indexFile());
            if (placed != n) {
                throw new IllegalStateException("placing alone gave " + placed + " elements, the index " + n);
            }
            System.out.printf("%n== %s: %,d cells, %,d elements (somas + segments)%n", nodes.getFileName(), r.nodes(), n);
            System.out.printf("build (jhdf nodes + morphology + placement + sort + write): %.2f s  (%.2f M elements/s)%n",
                    buildS, n / buildS / 1e6);
            System.out.printf("  CPU time: %.2f s on the building thread, %.2f s for the whole process (GC, JIT included); load average before/after: %s / %s%n",
                    threadS, cpuS, loadBefore, loadAverage());
            System.out.printf("  reading nodes and placing every cell, measured alone without an index: %.2f s wall%n", placeS);
            System.out.printf("peak heap during build: %.1f MiB (max heap %.0f MiB)%n", peakHeap / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            System.out.printf("process RSS high-water mark so far: %s; now: %s anonymous + %s file-backed (mapped scratch/index pages, reclaimable)%n",
                    status("VmHWM"), status("RssAnon"), status("RssFile"));
            System.out.printf("index file: %,d bytes = %.2f bytes/element%n", bytes, (double) bytes / n);

            long[] opens = new long[101];
            SpatialIndex index = null;
            for (int i = 0; i < opens.length; i++) {
                if (index != null) {
                    index.close();
                }
                long s = System.nanoTime();
                index = SpatialIndex.open(r.indexFile(), false);
                opens[i] = System.nanoTime() - s;
            }
            long[] warm = Arrays.copyOfRange(opens, 1, opens.length);
            Arrays.sort(warm);
            System.out.printf("open (header check + map): first %.3f ms, median of next 100 %.3f ms%n", opens[0] / 1e6, warm[50] / 1e6);

            for (Accuracy accuracy : Accuracy.values()) {
                Query[] queries = queries(index, QUERIES, new Random(3), accuracy);
                for (int i = 0; i < 20_000; i++) {
                    index.count(queries[i % queries.length]);
                }
                long[] lat = new long[QUERIES];
                long matches = 0;
                long queryCpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                for (int i = 0; i < QUERIES; i++) {
                    long q0 = System.nanoTime();
                    matches += index.count(queries[i]);
                    lat[i] = System.nanoTime() - q0;
                }
                double cpuMean = (double) (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - queryCpu0) / QUERIES;
                double mean = Arrays.stream(lat).average().orElse(0);
                Arrays.sort(lat);
                System.out.printf("%,d box queries (%.0f um side, centred on random segments, %s): mean %.2f us, p50 %.2f us, p99 %.2f us, %.1f matches/query%n",
                        QUERIES, BOX_SIDE, accuracy, mean / 1e3, lat[QUERIES / 2] / 1e3, lat[QUERIES * 99 / 100] / 1e3, (double) matches / QUERIES);
                System.out.printf("  CPU time per query (thread CPU / queries; excludes time the thread waited for a core): %.2f us%n", cpuMean / 1e3);
                long scanTotal = 0;
                for (int i = 0; i < SCANS; i++) {
                    long q0 = System.nanoTime();
                    long viaScan = index.scan(queries[i], x -> { });
                    scanTotal += System.nanoTime() - q0;
                    long viaTree = index.count(queries[i]);
                    if (viaScan != viaTree) {
                        throw new IllegalStateException("scan found " + viaScan + ", tree " + viaTree + " for " + queries[i]);
                    }
                }
                double scanMean = (double) scanTotal / SCANS;
                System.out.printf("  baseline brute-force scan of the same mapped records: mean %.2f ms over %d queries (same answers); tree is %.0fx faster%n",
                        scanMean / 1e6, SCANS, scanMean / mean);
            }
            index.close();
        } finally {
            AtomicOutput.deleteTree(out);
        }
    }

    /**
     * Reads every node and places its cell into a sink that counts and sums the coordinates (so the JIT cannot drop
     * the placement as dead code): the build minus the index.
     */
    private static long placeOnly(Path nodes, Path morphologies) {
        long[] count = {0};
        double[] sum = {0};
        CellElements.Sink counter = new CellElements.Sink() {
            @Override
            public void soma(long nodeId, float x, float y, float z, float radius) {
                count[0]++;
                sum[0] += x + y + z;
            }

            @Override
            public void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                                float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
                count[0]++;
                sum[0] += x2 + y2 + z2;
            }
        };
        MorphologyLocator locator = MorphologyLocator.directory(morphologies, 16);
        try (NodePopulationReader reader = new NodePopulationReader(nodes, null)) {
            reader.forEach(NodeSelection.all(), node -> CellElements.emit(locator.load(node), node, counter));
        }
        if (!Double.isFinite(sum[0])) {
            throw new IllegalStateException("placed coordinates are not finite");
        }
        return count[0];
    }

    /** Boxes centred on the middle of randomly chosen elements: "what is near this piece of neurite". */
    private static Query[] queries(SpatialIndex index, int count, Random rnd, Accuracy accuracy) {
        Query[] q = new Query[count];
        Field x1 = index.field("x1"), y1 = index.field("y1"), z1 = index.field("z1");
        Field x2 = index.field("x2"), y2 = index.field("y2"), z2 = index.field("z2");
        double h = BOX_SIDE / 2;
        for (int i = 0; i < count; i++) {
            long rec = (long) (rnd.nextDouble() * index.count());
            double x = (index.getDouble(rec, x1) + index.getDouble(rec, x2)) / 2;
            double y = (index.getDouble(rec, y1) + index.getDouble(rec, y2)) / 2;
            double z = (index.getDouble(rec, z1) + index.getDouble(rec, z2)) / 2;
            q[i] = Query.box(x - h, y - h, z - h, x + h, y + h, z + h, accuracy);
        }
        return q;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0];
    }

    private static String status(String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key + ":")) {
                long kb = Long.parseLong(line.substring(key.length() + 1).replace("kB", "").strip());
                return String.format("%.0f MiB", kb / 1024.0);
            }
        }
        return "n/a";
    }
}
