package org.nifimemmap.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.index.partition.MultiIndex;
import org.nifimemmap.index.partition.MultiIndexManifest;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.sonata.PartitionPlans;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/**
 * The same population built as one index and as P partitions one after the other (the total work a cluster shares
 * out; on P nodes the wall time would be about the slowest partition), then small-box queries on the single index
 * and on the multi-index, and the multi-index's open time. The builds alternate over {@value #ROUNDS} rounds in one
 * JVM, in the reverse order every other round, and the figures are medians of the rounds after the first, in wall
 * time and in CPU time of all threads.
 * usage: PartitionedIndexBenchmark PARTITIONS synapses EDGES_FILE | cells NODES_FILE MORPHOLOGY_DIR
 */
public final class PartitionedIndexBenchmark {
    private static final int QUERIES = 50_000;
    private static final int ROUNDS = 7;
    /** The cluster the grouped synapse build models: round robin gives node k the partitions k, k + NODES, ... */
    private static final int NODES = 2;
    /** CPU of every thread of the process: the builds sort and write on threads of their own. */
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int partitions = Integer.parseInt(args[0]);
        boolean synapses = args[1].equals("synapses");
        Path input = Path.of(args[2]);
        Path morphologies = synapses ? null : Path.of(args[3]);
        Path out = Files.createTempDirectory(input.toAbsolutePath().getParent(), "partitioned-bench-");
        try {
            Path single = Files.createDirectories(out.resolve("single"));
            Path partsRoot = Files.createDirectories(out.resolve("parts"));
            PartitionPlans.Kind kind = synapses ? PartitionPlans.Kind.SYNAPSES : PartitionPlans.Kind.CELLS;
            String population = PartitionPlans.plan(kind, input, null, 1).population();
            System.out.printf("%n== %s (%s, population %s), 1 vs %d partitions; load %.2f%n", input.getFileName(),
                    synapses ? "synapses" : "cells", population, partitions, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            // Single and partitioned builds alternate, ROUNDS times each, in one JVM (a NiFi node's is long-running):
            // the first round also pays for class loading and compilation, so the medians are of the later rounds.
            // Odd rounds run the builds in the reverse order, so none always follows the same one (page cache, write-back).
            double[][] wall = new double[3][ROUNDS];
            double[][] cpu = new double[3][ROUNDS];
            String[] names = {"single", partitions + " partitions", partitions + " partitions as " + NODES + " nodes"};
            double[] planS = new double[ROUNDS];
            double[] slowest = new double[ROUNDS];
            Path[] manifest = new Path[1];
            for (int round = 0; round < ROUNDS; round++) {
                int r = round;
                Path singleOut = Files.createDirectories(single.resolve("round-" + round));
                Path parts = Files.createDirectories(partsRoot.resolve("round-" + round));
                Path grouped = Files.createDirectories(partsRoot.resolve("grouped-" + round));
                Runnable[] builds = {
                    () -> build(synapses, input, morphologies, singleOut, null),
                    () -> {
                        long t0 = System.nanoTime();
                        List<Region> regions = PartitionPlans.plan(kind, input, population, partitions).regions();
                        planS[r] = (System.nanoTime() - t0) / 1e9;
                        for (int i = 0; i < partitions; i++) {
                            Partition p = new Partition(i, partitions, regions.get(i));
                            long t = System.nanoTime();
                            build(synapses, input, morphologies, parts, p);
                            slowest[r] = Math.max(slowest[r], (System.nanoTime() - t) / 1e9);
                        }
                        manifest[0] = MultiIndexManifest.write(parts.resolve(population), population, partitions);
                    },
                    () -> {
                        List<Region> planned = PartitionPlans.plan(kind, input, population, partitions).regions();
                        for (int node = 0; node < NODES; node++) {
                            List<Partition> held = new ArrayList<>();
                            for (int i = node; i < partitions; i += NODES) {
                                held.add(new Partition(i, partitions, planned.get(i)));
                            }
                            SynapseIndexBuilder.buildPartitions(new SynapseIndexRequest(input, null, List.of(), List.of(), grouped, 4L << 30,
                                    ConflictStrategy.FAIL), held);
                        }
                        MultiIndexManifest.write(grouped.resolve(population), population, partitions);
                    }};
                Path[] outputs = {singleOut, parts, grouped};
                int kinds = synapses ? 3 : 2;
                for (int j = 0; j < kinds; j++) {
                    int b = round % 2 == 0 ? j : kinds - 1 - j;
                    long c = PROCESS.getProcessCpuTime();
                    long t = System.nanoTime();
                    builds[b].run();
                    wall[b][round] = (System.nanoTime() - t) / 1e9;
                    cpu[b][round] = (PROCESS.getProcessCpuTime() - c) / 1e9;
                    // Every build follows the removal of the previous build's output. When only the round's end removed
                    // them, whichever build ran first in a round gained: the 2-node synapse build measured 0.77-1.08x
                    // the single build when it ran first and 1.11-1.58x when it ran last (on this VM, memory just
                    // freed is cheaper to take again than fresh pages, which cost the host a fault).
                    if (round < ROUNDS - 1 || b == 2) {
                        AtomicOutput.deleteTree(outputs[b]);
                    }
                }
                StringBuilder line = new StringBuilder("round " + round + ":");
                for (int b = 0; b < kinds; b++) {
                    line.append(String.format(" %s %.2f s wall (%.2f s CPU)%s", names[b], wall[b][round], cpu[b][round],
                            b == 0 ? "" : String.format(", ratio %.3f", wall[b][round] / wall[0][round])));
                    line.append(b == 1 ? String.format(" [plan %.2f s, slowest partition %.2f s]", planS[round], slowest[round]) : "")
                            .append(b < kinds - 1 ? ";" : "");
                }
                System.out.println(line);
            }
            double singleMedian = median(wall[0]);
            System.out.printf("build, single index: median of rounds 1-%d %.2f s wall, %.2f s CPU (all threads) (rounds %s)%n", ROUNDS - 1,
                    singleMedian, median(cpu[0]), Arrays.stream(wall[0]).mapToObj(v -> String.format("%.2f", v)).toList());
            reportRatio(partitions + " partitions one after the other (plan + builds + manifest)", wall[1], cpu[1], wall[0], cpu[0]);
            if (synapses) {
                reportRatio(partitions + " partitions as " + NODES + " nodes build them (plan + one read per node + manifest)", wall[2],
                        cpu[2], wall[0], cpu[0]);
            }

            Path singleFile = single.resolve("round-" + (ROUNDS - 1)).resolve(population).resolve("index.nmsidx");
            long[] opens = new long[101];
            for (int i = 0; i < opens.length; i++) {
                long s = System.nanoTime();
                MultiIndex.open(manifest[0], false).close();
                opens[i] = System.nanoTime() - s;
            }
            long[] warm = Arrays.copyOfRange(opens, 1, opens.length);
            Arrays.sort(warm);
            System.out.printf("open of the multi-index (manifest + %d headers + maps): first %.3f ms, median of next 100 %.3f ms (target < 1 ms)%n",
                    partitions, opens[0] / 1e6, warm[50] / 1e6);

            try (SpatialIndex whole = SpatialIndex.open(singleFile, false); MultiIndex multi = MultiIndex.open(manifest[0], false)) {
                Query[] queries = queries(whole, synapses);
                long[] a = latencies(queries, whole::count);
                long[] b = latencies(queries, multi::count);
                for (int i = 0; i < 2_000; i++) {
                    if (whole.count(queries[i]) != multi.count(queries[i])) {
                        throw new IllegalStateException("different answers for " + queries[i]);
                    }
                }
                report("single index", a);
                report(partitions + "-partition multi-index", b);
                System.out.printf("multi-index / single: mean %.2fx, p99 %.2fx (target <= 1.5)%n", mean(b) / mean(a),
                        (double) b[b.length * 99 / 100] / a[a.length * 99 / 100]);
            }
        } finally {
            AtomicOutput.deleteTree(out);
        }
    }

    private static void build(boolean synapses, Path input, Path morphologies, Path out, Partition partition) {
        if (synapses) {
            SynapseIndexBuilder.build(new SynapseIndexRequest(input, null, List.of(), List.of(), out, 4L << 30, ConflictStrategy.FAIL,
                    partition));
        } else {
            SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(input, morphologies, out, 8L << 30).withPartition(partition));
        }
    }

    /** Small boxes centred on random elements (20 um for synapses, 10 um for segments), as the index benchmarks use. */
    private static Query[] queries(SpatialIndex index, boolean synapses) {
        Random rnd = new Random(3);
        Field fx = index.field(synapses ? "x" : "x1"), fy = index.field(synapses ? "y" : "y1"), fz = index.field(synapses ? "z" : "z1");
        double h = synapses ? 10 : 5;
        Query[] q = new Query[QUERIES];
        for (int i = 0; i < QUERIES; i++) {
            long r = (long) (rnd.nextDouble() * index.count());
            double x = index.getDouble(r, fx), y = index.getDouble(r, fy), z = index.getDouble(r, fz);
            q[i] = Query.box(x - h, y - h, z - h, x + h, y + h, z + h, Accuracy.BEST_EFFORT);
        }
        return q;
    }

    private static long[] latencies(Query[] queries, ToLongFunction<Query> count) {
        for (int i = 0; i < 10_000; i++) {
            count.applyAsLong(queries[i]);
        }
        long[] lat = new long[queries.length];
        for (int i = 0; i < queries.length; i++) {
            long t = System.nanoTime();
            count.applyAsLong(queries[i]);
            lat[i] = System.nanoTime() - t;
        }
        Arrays.sort(lat);
        return lat;
    }

    /** Median of the rounds after the first. */
    private static double median(double[] values) {
        double[] sorted = Arrays.copyOfRange(values, 1, values.length);
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void reportRatio(String what, double[] wall, double[] cpu, double[] singleWall, double[] singleCpu) {
        System.out.printf("build, %s: median %.2f s wall, %.2f s CPU; ratio of medians to the single build %.3f wall, %.3f CPU"
                + " (target <= 1.15); rounds after the first: %s%n", what, median(wall), median(cpu), median(wall) / median(singleWall),
                median(cpu) / median(singleCpu), ratiosAfterFirst(wall, singleWall));
    }

    private static String ratiosAfterFirst(double[] parts, double[] single) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < parts.length; i++) {
            out.append(i > 1 ? ", " : "").append(String.format("%.3f", parts[i] / single[i]));
        }
        return out.toString();
    }

    private static double mean(long[] lat) {
        return Arrays.stream(lat).average().orElse(0);
    }

    private static void report(String what, long[] lat) {
        System.out.printf("%,d small-box queries on the %s: mean %.2f us, p50 %.2f us, p99 %.2f us%n", lat.length, what,
                mean(lat) / 1e3, lat[lat.length / 2] / 1e3, lat[lat.length * 99 / 100] / 1e3);
    }
}
