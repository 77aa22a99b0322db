package org.nifimemmap.index.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.PartitionPlans;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/** A population built in partitions and queried through its multi-index answers exactly as its single index does. */
class PartitionedIndexTest {
    private static final Path FIXTURES = Path.of(System.getProperty("memmap.fixtures", "../fixtures"));
    private static final long MAP = 256L << 20;
    private static final String SYNAPSES = "neocortex_neurons__chemical_synapse";

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeEach
    void outputDirectories() throws java.io.IOException {
        Files.createDirectories(dir.resolve("single"));
        Files.createDirectories(dir.resolve("parts"));
    }

    @Test
    void syn2kInFourPartitionsQueriesLikeTheSingleIndex() {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        Path single = SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, dir.resolve("single"), MAP)).getFirst().indexFile();
        List<Region> regions = PartitionPlans.synapses(edges, SYNAPSES, 4);
        assertEquals(4, regions.size());
        Path parts = dir.resolve("parts");
        long total = 0;
        for (int i = 0; i < regions.size(); i++) {
            total += SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), parts, MAP,
                    ConflictStrategy.FAIL, new Partition(i, 4, regions.get(i)))).getFirst().elements();
        }
        assertEquals(1931, total, "every synapse in exactly one partition");
        Path manifest = MultiIndexManifest.write(parts.resolve(SYNAPSES), SYNAPSES, 4);
        try (SpatialIndex whole = SpatialIndex.open(single, true); MultiIndex multi = MultiIndex.open(manifest, true)) {
            assertEquals(4, multi.parts().size());
            assertTrue(multi.parts().stream().allMatch(p -> p.index().count() > 300), "balanced partitions");
            assertSameAnswers(whole, multi, List.of("edge_id"), 400);
            Query all = box(whole.bounds(), Accuracy.BEST_EFFORT);
            assertEquals(whole.countByPostGid(all), multi.countByPostGid(all));
        }
    }

    @Test
    void circuit10CellsInThreePartitionsQueryLikeTheSingleIndex() {
        Path nodes = FIXTURES.resolve("sonata/circuit-10/nodes.h5");
        Path morphologies = FIXTURES.resolve("sonata/circuit-10/morphologies/ascii");
        SegmentIndexRequest request = SegmentIndexRequest.ofNodesFile(nodes, morphologies, dir.resolve("single"), MAP);
        Path single = SegmentIndexBuilder.build(request).getFirst().indexFile();
        List<Region> regions = PartitionPlans.cells(nodes, "All", 3);
        Path parts = dir.resolve("parts");
        for (int i = 0; i < 3; i++) {
            SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(nodes, morphologies, parts, MAP)
                    .withPartition(new Partition(i, 3, regions.get(i))));
        }
        Path manifest = MultiIndexManifest.write(parts.resolve("All"), "All", 3);
        try (SpatialIndex whole = SpatialIndex.open(single, true); MultiIndex multi = MultiIndex.open(parts, true)) {
            assertEquals(21_990, multi.count());
            assertFalse(multi.severalPopulations());
            assertSameAnswers(whole, multi, List.of("gid", "section_id", "segment_id"), 300);
            // Elements go by their own position, not their cell's soma, so a partition reaches past its region by
            // at most half a segment and a radius; by soma it would reach a dendritic radius (hundreds of um).
            for (int i = 0; i < 3; i++) {
                Region r = regions.get(i);
                Bounds b = multi.parts().get(i).bounds();
                double reach = 20;
                assertTrue(b.minX() >= r.minX() - reach && b.minY() >= r.minY() - reach && b.minZ() >= r.minZ() - reach
                        && b.maxX() <= r.maxX() + reach && b.maxY() <= r.maxY() + reach && b.maxZ() <= r.maxZ() + reach,
                        "partition " + i + " bounds " + b + " stay near its region " + r);
            }
        }
        assertTrue(Files.isRegularFile(manifest));
    }

    @Test
    void theManifestNamesOnlyPartitionsThatExistAndOnePartitionCanBeRebuiltAlone() throws Exception {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        List<Region> regions = PartitionPlans.synapses(edges, SYNAPSES, 2);
        Path parts = dir.resolve("parts");
        SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), parts, MAP, ConflictStrategy.FAIL,
                new Partition(0, 2, regions.get(0))));
        MemmapException missing = assertThrows(MemmapException.class,
                () -> MultiIndexManifest.write(parts.resolve(SYNAPSES), SYNAPSES, 2));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("Partition 1 of 2"), missing.getMessage());
        assertFalse(Files.exists(parts.resolve(SYNAPSES).resolve(MultiIndexManifest.FILE)));
        for (int attempt = 0; attempt < 2; attempt++) { // a retried partition replaces its own output only
            SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), parts, MAP,
                    ConflictStrategy.REPLACE, new Partition(1, 2, regions.get(1))));
        }
        Path manifest = MultiIndexManifest.write(parts.resolve(SYNAPSES), SYNAPSES, 2);
        assertEquals(2, MultiIndexManifest.read(manifest).parts().size());
        assertEquals(SYNAPSES, MultiIndexManifest.read(manifest).population());
        assertEquals(1931, MultiIndexManifest.read(manifest).parts().stream().mapToLong(MultiIndexManifest.Part::elements).sum());
    }

    @Test
    void aPartitionNeedsMemoryMapSizeForItsOwnShareOnly() {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        MemmapException tooSmall = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(
                SynapseIndexRequest.ofEdgesFile(edges, dir, 10_000)));
        java.util.regex.Matcher need = java.util.regex.Pattern.compile("needs at least ([\\d,]+) bytes").matcher(tooSmall.getMessage());
        assertTrue(need.find(), tooSmall.getMessage());
        long cap = Long.parseLong(need.group(1).replace(",", "")) * 3 / 4;
        assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, dir, cap)),
                "three quarters of the need do not hold the whole population");
        List<Region> regions = PartitionPlans.synapses(edges, SYNAPSES, 2);
        Path parts = dir.resolve("parts");
        for (int i = 0; i < 2; i++) {
            SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), parts, cap, ConflictStrategy.FAIL,
                    new Partition(i, 2, regions.get(i))));
        }
        Path manifest = MultiIndexManifest.write(parts.resolve(SYNAPSES), SYNAPSES, 2);
        assertEquals(1931, MultiIndexManifest.read(manifest).parts().stream().mapToLong(MultiIndexManifest.Part::elements).sum());
    }

    @Test
    void partitionsBuiltTogetherInOneReadAreTheFilesBuiltOneByOne() throws Exception {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        List<Region> regions = PartitionPlans.synapses(edges, SYNAPSES, 4);
        List<Partition> all = java.util.stream.IntStream.range(0, 4).mapToObj(i -> new Partition(i, 4, regions.get(i))).toList();
        Path alone = dir.resolve("alone");
        for (Partition p : all) {
            SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), Files.createDirectories(alone), MAP,
                    ConflictStrategy.FAIL, p));
        }
        Path together = Files.createDirectories(dir.resolve("together"));
        SynapseIndexRequest request = new SynapseIndexRequest(edges, null, List.of(), List.of(), together, MAP, ConflictStrategy.FAIL);
        // As two nodes would: each builds the two partitions it holds in one read of the edges file.
        List<org.nifimemmap.sonata.edges.SynapseIndexResult> first = SynapseIndexBuilder.buildPartitions(request, List.of(all.get(2), all.get(0)));
        SynapseIndexBuilder.buildPartitions(request, List.of(all.get(1), all.get(3)));
        assertEquals(together.resolve(SYNAPSES).resolve(all.get(2).directoryName()), first.getFirst().directory());
        for (Partition p : all) {
            Path a = alone.resolve(SYNAPSES).resolve(p.directoryName()).resolve("index.nmsidx");
            Path b = together.resolve(SYNAPSES).resolve(p.directoryName()).resolve("index.nmsidx");
            assertTrue(Files.size(a) > 0);
            assertEquals(-1, Files.mismatch(a, b), p + ": same index file");
        }
        Path manifest = MultiIndexManifest.write(together.resolve(SYNAPSES), SYNAPSES, 4);
        assertEquals(1931, MultiIndexManifest.read(manifest).parts().stream().mapToLong(MultiIndexManifest.Part::elements).sum());

        // None of a group appears unless all of it could be built: partition 0 exists, so 0 and 1 fail together.
        Path again = Files.createDirectories(dir.resolve("again"));
        SynapseIndexRequest fail = new SynapseIndexRequest(edges, null, List.of(), List.of(), again, MAP, ConflictStrategy.FAIL);
        SynapseIndexBuilder.buildPartitions(fail, List.of(all.get(0)));
        MemmapException exists = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.buildPartitions(fail,
                List.of(all.get(1), all.get(0))));
        assertEquals(ErrorKind.OUTPUT_EXISTS, exists.kind());
        try (var listing = Files.list(again.resolve(SYNAPSES))) {
            assertEquals(List.of(all.get(0).directoryName()), listing.map(f -> f.getFileName().toString()).toList());
        }
        MemmapException tooSmall = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.buildPartitions(
                new SynapseIndexRequest(edges, null, List.of(), List.of(), again, 20_000, ConflictStrategy.REPLACE), all));
        assertEquals(ErrorKind.INVALID_CONFIG, tooSmall.kind());
        try (var listing = Files.list(again.resolve(SYNAPSES))) {
            assertEquals(List.of(all.get(0).directoryName()), listing.map(f -> f.getFileName().toString()).toList(),
                    "a failed group leaves no partition and no temporary behind");
        }
        assertThrows(MemmapException.class, () -> SynapseIndexBuilder.buildPartitions(request, List.of(all.get(1), all.get(1))));
    }

    @Test
    void plannedRegionsTileSpaceWithBalancedCounts() {
        Random random = new Random(5);
        int n = 10_000;
        float[] xyz = new float[3 * n];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = (float) (random.nextGaussian() * (i % 3 == 0 ? 1000 : 100));
        }
        for (int partitions : new int[] {1, 2, 3, 7, 8}) {
            List<Region> regions = PartitionPlanner.plan(xyz, n, partitions);
            int[] counts = new int[partitions];
            for (int i = 0; i < n; i++) {
                int inside = 0;
                for (int r = 0; r < partitions; r++) {
                    if (regions.get(r).contains(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2])) {
                        inside++;
                        counts[r]++;
                    }
                }
                assertEquals(1, inside, "point " + i + " lies in exactly one region");
            }
            for (int c : counts) {
                assertTrue(Math.abs(c - n / partitions) <= partitions, partitions + " partitions: counts " + java.util.Arrays.toString(counts));
            }
            assertEquals(regions.getFirst(), Region.parse(regions.getFirst().toString()));
        }
    }

    private static void assertSameAnswers(SpatialIndex whole, MultiIndex multi, List<String> key, int queries) {
        Random random = new Random(11);
        Bounds b = whole.bounds();
        for (int q = 0; q < queries; q++) {
            Accuracy accuracy = q % 2 == 0 ? Accuracy.BOUNDING_BOX : Accuracy.BEST_EFFORT;
            double x = b.minX() + random.nextDouble() * (b.maxX() - b.minX());
            double y = b.minY() + random.nextDouble() * (b.maxY() - b.minY());
            double z = b.minZ() + random.nextDouble() * (b.maxZ() - b.minZ());
            double size = 5 + random.nextDouble() * (b.maxX() - b.minX()) / 4;
            Query query = q % 4 < 2 ? Query.box(x, y, z, x + size, y + size * random.nextDouble(), z + size, accuracy)
                    : Query.sphere(x, y, z, size, accuracy);
            Set<List<Long>> expected = new HashSet<>();
            List<Field> fields = key.stream().map(whole::field).toList();
            whole.query(query, r -> expected.add(fields.stream().map(f -> whole.getLong(r, f)).toList()));
            List<List<Long>> actual = new ArrayList<>();
            multi.query(query, (part, r) -> actual.add(key.stream().map(name -> part.index().getLong(r, part.index().field(name))).toList()));
            assertEquals(expected.size(), actual.size(), "query " + q + ": " + query);
            assertEquals(expected, new HashSet<>(actual), "query " + q + ": " + query);
            assertEquals(expected.size(), multi.count(query));
        }
    }

    private static Query box(Bounds b, Accuracy accuracy) {
        return Query.box(b.minX(), b.minY(), b.minZ(), b.maxX(), b.maxY(), b.maxZ(), accuracy);
    }
}
