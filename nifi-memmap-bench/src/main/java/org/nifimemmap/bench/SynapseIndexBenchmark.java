package org.nifimemmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexResult;

/**
 * Builds synapse indexes from generated SONATA edges files (HDF5, read through jhdf) and measures build time,
 * peak heap, bytes per synapse, open time and small box query latency, against a brute-force scan of the same
 * mapped records in the same run.
 * usage: SynapseIndexBenchmark EDGES_FILE... (each made by bench/make_synapse_edges.py)
 */
public final class SynapseIndexBenchmark {
    private static final int QUERIES = 100_000;
    private static final int SCANS = 30;
    private static final double BOX_SIDE = 20.0;

    public static void main(String[] args) throws Exception {
        for (String arg : args) {
            run(Path.of(arg));
        }
    }

    private static void run(Path edges) throws Exception {
        Path out = Files.createTempDirectory(edges.toAbsolutePath().getParent(), "synapse-index-bench-");
        try {
            System.gc();
            MemoryPeaks.resetHeap();
            long t0 = System.nanoTime();
            SynapseIndexResult r = SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(),
                    out, 4L << 30, null)).get(0);
            double buildS = (System.nanoTime() - t0) / 1e9;
            long peakHeap = MemoryPeaks.heapBytes();
            long n = r.elements();
            long bytes = Files.size(r.indexFile());
            System.out.printf("%n== %s: %,d synapses (%,d-byte HDF5 input)%n", edges.getFileName(), n, Files.size(edges));
            System.out.printf("build (jhdf read + sort + write): %.2f s  (%.2f M synapses/s)%n", buildS, n / buildS / 1e6);
            System.out.printf("peak heap during build: %.1f MiB (max heap %.0f MiB)%n", peakHeap / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            System.out.printf("index file: %,d bytes = %.2f bytes/synapse%n", bytes, (double) bytes / n);

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
            long s = System.nanoTime();
            index.verify();
            System.out.printf("verify (full data CRC-32, on demand): %.0f ms%n", (System.nanoTime() - s) / 1e6);

            Query[] queries = queries(index, QUERIES, new Random(3));
            long matches = 0;
            for (int i = 0; i < 20_000; i++) {
                matches += index.count(queries[i % queries.length]);
            }
            long[] lat = new long[QUERIES];
            matches = 0;
            for (int i = 0; i < QUERIES; i++) {
                long q0 = System.nanoTime();
                matches += index.count(queries[i]);
                lat[i] = System.nanoTime() - q0;
            }
            double mean = Arrays.stream(lat).average().orElse(0);
            Arrays.sort(lat);
            System.out.printf("%,d box queries (%.0f um side, centred on random synapses, BEST_EFFORT): mean %.2f us, p50 %.2f us, p99 %.2f us,"
                    + " p99.9 %.2f us, max %.0f us, %.1f matches/query%n", QUERIES, BOX_SIDE, mean / 1e3, lat[QUERIES / 2] / 1e3,
                    lat[QUERIES * 99 / 100] / 1e3, lat[QUERIES * 999 / 1000] / 1e3, lat[QUERIES - 1] / 1e3, (double) matches / QUERIES);

            long[] scans = new long[SCANS];
            for (int i = 0; i < SCANS; i++) {
                long q0 = System.nanoTime();
                long viaScan = index.scan(queries[i], x -> { });
                scans[i] = System.nanoTime() - q0;
                long viaTree = index.count(queries[i]);
                if (viaScan != viaTree) {
                    throw new IllegalStateException("scan found " + viaScan + ", tree " + viaTree + " for " + queries[i]);
                }
            }
            double scanMean = Arrays.stream(scans).average().orElse(0);
            Arrays.sort(scans);
            System.out.printf("baseline brute-force scan of the same mapped records: mean %.2f ms, p50 %.2f ms over %d queries (same answers)%n",
                    scanMean / 1e6, scans[SCANS / 2] / 1e6, SCANS);
            System.out.printf("speed-up of the tree over the scan: %.0fx by mean latency, %.0fx by median latency%n",
                    scanMean / mean, (double) scans[SCANS / 2] / lat[QUERIES / 2]);
            index.close();
        } finally {
            AtomicOutput.deleteTree(out);
        }
    }

    /** Boxes centred on randomly chosen synapses: "what is near this synapse", the common question. */
    private static Query[] queries(SpatialIndex index, int count, Random rnd) {
        Query[] q = new Query[count];
        var fx = index.field("x");
        var fy = index.field("y");
        var fz = index.field("z");
        double h = BOX_SIDE / 2;
        for (int i = 0; i < count; i++) {
            long rec = (long) (rnd.nextDouble() * index.count());
            double x = index.getDouble(rec, fx), y = index.getDouble(rec, fy), z = index.getDouble(rec, fz);
            q[i] = Query.box(x - h, y - h, z - h, x + h, y + h, z + h, Accuracy.BEST_EFFORT);
        }
        return q;
    }
}
