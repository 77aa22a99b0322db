package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random shapes over random elements: the index answers exactly what a scan of the input answers. */
class SpatialIndexPropertyTest {
    @TempDir
    Path dir;

    @Test
    void pointQueriesEqualBruteForce() {
        for (int n : new int[] {0, 1, 15, 16, 17, 257, 6000}) {
            Random rnd = new Random(n);
            float[][] p = new float[n][3];
            for (int i = 0; i < n; i++) {
                // Clusters and exact duplicates, as synapses on one dendrite have.
                int cluster = rnd.nextInt(5);
                for (int a = 0; a < 3; a++) {
                    p[i][a] = i > 0 && rnd.nextInt(20) == 0 ? p[i - 1][a] : (float) (cluster * 200 + rnd.nextGaussian() * (10 + 40 * cluster));
                }
            }
            Path file = dir.resolve("points-" + n + ".idx");
            try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 64 << 20, List.of(), 0)) {
                for (int i = 0; i < n; i++) {
                    w.add(p[i][0], p[i][1], p[i][2], i, i % 7, 1000L + i % 13);
                }
                assertEquals(n, w.writeTo(file).elements());
            }
            try (SpatialIndex index = SpatialIndex.open(file, true)) {
                Field edge = index.field("edge_id");
                for (int q = 0; q < 1500; q++) {
                    Query query = randomQuery(rnd, q % 2 == 0 ? Accuracy.BOUNDING_BOX : Accuracy.BEST_EFFORT, -300, 900);
                    Set<Long> expected = new HashSet<>();
                    for (int i = 0; i < n; i++) {
                        if (ElementTest.pointMeets(p[i][0], p[i][1], p[i][2], query.shape())) {
                            expected.add((long) i);
                        }
                    }
                    Set<Long> actual = new HashSet<>();
                    long reported = index.query(query, r -> actual.add(index.getLong(r, edge)));
                    assertEquals(expected, actual, "n=" + n + " " + query);
                    assertEquals(expected.size(), reported);
                }
            }
        }
    }

    @Test
    void cylinderAndSomaQueriesEqualBruteForce() {
        int n = 4000;
        Random rnd = new Random(42);
        float[][] e = new float[n][7];
        for (int i = 0; i < n; i++) {
            float x = (float) (rnd.nextDouble() * 600 - 300), y = (float) (rnd.nextDouble() * 600 - 300), z = (float) (rnd.nextDouble() * 600 - 300);
            boolean soma = i % 10 == 0;
            e[i][0] = x;
            e[i][1] = y;
            e[i][2] = z;
            e[i][3] = soma ? x : (float) (x + rnd.nextGaussian() * 15);
            e[i][4] = soma ? y : (float) (y + rnd.nextGaussian() * 15);
            e[i][5] = soma ? z : (float) (z + rnd.nextGaussian() * 15);
            e[i][6] = (float) (soma ? 5 + rnd.nextDouble() * 10 : rnd.nextDouble() * 3);
        }
        Path file = dir.resolve("segments.idx");
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 64 << 20, n)) {
            for (int i = 0; i < n; i++) {
                if (i % 10 == 0) {
                    w.addSoma(i, e[i][0], e[i][1], e[i][2], e[i][6]);
                } else {
                    w.addSegment(i, i % 300 + 1, i % 17, 3, e[i][0], e[i][1], e[i][2], e[i][3], e[i][4], e[i][5], e[i][6]);
                }
            }
            IndexSummary summary = w.writeTo(file);
            assertTrue(summary.fileBytes() <= 40L * n, "segment index must take <= 40 bytes per element: " + summary.fileBytes() / (double) n);
        }
        try (SpatialIndex index = SpatialIndex.open(file, true)) {
            Field gid = index.field("gid");
            Field kind = index.field("kind");
            double[] box = new double[6];
            int nonEmpty = 0;
            int differ = 0;
            for (int q = 0; q < 3000; q++) {
                Query exactQuery = randomQuery(rnd, Accuracy.BEST_EFFORT, -350, 350);
                Set<Long> byAccuracy = null;
                for (Accuracy accuracy : Accuracy.values()) {
                    Query query = new Query(exactQuery.shape(), accuracy);
                    Set<Long> expected = new HashSet<>();
                    for (int i = 0; i < n; i++) {
                        if (ElementTest.cylinderMeets(e[i][0], e[i][1], e[i][2], e[i][3], e[i][4], e[i][5], e[i][6], query.shape(), accuracy, box)) {
                            expected.add((long) i);
                        }
                    }
                    Set<Long> actual = new HashSet<>();
                    index.query(query, r -> {
                        long g = index.getLong(r, gid);
                        actual.add(g);
                        assertEquals(g % 10 == 0 ? RecordLayout.KIND_SOMA : RecordLayout.KIND_SEGMENT, index.getLong(r, kind));
                    });
                    assertEquals(expected, actual, accuracy + " " + query);
                    nonEmpty += expected.isEmpty() ? 0 : 1;
                    if (byAccuracy == null) {
                        byAccuracy = expected;
                    } else {
                        assertTrue(byAccuracy.containsAll(expected), "best effort must be a subset of bounding box");
                        differ += byAccuracy.size() != expected.size() ? 1 : 0;
                    }
                }
            }
            assertTrue(nonEmpty > 1000, "queries must hit elements: " + nonEmpty);
            assertTrue(differ > 50, "best effort must prune some bounding-box hits: " + differ);
        }
    }

    /** Tiny scratch and mapping windows: items and records cross many window boundaries, answers stay exact. */
    @Test
    void smallWindowsGiveTheSameAnswers() {
        // 100,000 records of 27 bytes also span several 1 MiB output buffers at an odd record size.
        int n = 100_000;
        Random rnd = new Random(9);
        float[][] p = new float[n][3];
        Path file = dir.resolve("windows.idx");
        List<ExtraColumn> extras = List.of(new ExtraColumn("branch_order", FieldType.U8), new ExtraColumn("section", FieldType.I16));
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 64 << 20, extras, 0, 4096)) {
            for (int i = 0; i < n; i++) {
                for (int a = 0; a < 3; a++) {
                    p[i][a] = (float) (rnd.nextDouble() * 500);
                }
                w.add(p[i][0], p[i][1], p[i][2], i, 0, 0, new double[] {i % 256, i % 30000 - 15000});
            }
            w.writeTo(file);
        }
        try (SpatialIndex small = SpatialIndex.open(file, true, 1000)) {
            assertEquals(27, small.layout().recordSize());
            Field edge = small.field("edge_id"), order = small.field("branch_order"), section = small.field("section");
            for (int q = 0; q < 500; q++) {
                Query query = randomQuery(rnd, Accuracy.BEST_EFFORT, 0, 500);
                Set<Long> expected = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    if (ElementTest.pointMeets(p[i][0], p[i][1], p[i][2], query.shape())) {
                        expected.add((long) i);
                    }
                }
                Set<Long> actual = new HashSet<>();
                small.query(query, r -> {
                    long e = small.getLong(r, edge);
                    actual.add(e);
                    assertEquals(e % 256, small.getLong(r, order));
                    assertEquals(e % 30000 - 15000, small.getLong(r, section));
                });
                assertEquals(expected, actual, query.toString());
            }
        }
    }

    @Test
    void concurrentQueriesOnOneInstanceAgree() throws Exception {
        Path file = dir.resolve("shared.idx");
        Random rnd = new Random(13);
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 64 << 20, List.of(), 0)) {
            for (int i = 0; i < 50000; i++) {
                w.add((float) (rnd.nextDouble() * 500), (float) (rnd.nextDouble() * 500), (float) (rnd.nextDouble() * 500), i, 0, i % 10);
            }
            w.writeTo(file);
        }
        List<Query> queries = new ArrayList<>();
        for (int q = 0; q < 400; q++) {
            queries.add(randomQuery(rnd, Accuracy.BEST_EFFORT, 0, 500));
        }
        try (SpatialIndex index = SpatialIndex.open(file, false)) {
            List<Long> expected = queries.stream().map(index::count).toList();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<List<Long>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        List<Long> counts = new ArrayList<>();
                        for (int round = 0; round < 5; round++) {
                            counts.clear();
                            for (Query q : queries) {
                                counts.add(index.count(q));
                            }
                        }
                        return counts;
                    }));
                }
                for (var f : futures) {
                    assertEquals(expected, f.get());
                }
            } finally {
                pool.shutdown();
            }
            assertTrue(expected.stream().mapToLong(Long::longValue).sum() > 400, "queries must match elements");
        }
    }

    private static Query randomQuery(Random rnd, Accuracy accuracy, double lo, double hi) {
        double cx = lo + rnd.nextDouble() * (hi - lo), cy = lo + rnd.nextDouble() * (hi - lo), cz = lo + rnd.nextDouble() * (hi - lo);
        double size = rnd.nextInt(4) == 0 ? rnd.nextDouble() * 400 : rnd.nextDouble() * 40;
        if (rnd.nextBoolean()) {
            // Corners in any order.
            return Query.box(cx + size * (rnd.nextDouble() - 0.5), cy + size * (rnd.nextDouble() - 0.5), cz + size * (rnd.nextDouble() - 0.5),
                    cx - size * (rnd.nextDouble() - 0.5), cy - size * (rnd.nextDouble() - 0.5), cz - size * (rnd.nextDouble() - 0.5), accuracy);
        }
        return Query.sphere(cx, cy, cz, size / 2, accuracy);
    }
}
