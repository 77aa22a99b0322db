package org.nifimemmap.sonata.edges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.FieldType;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

class SynapseIndexBuilderTest {
    static final Path FIXTURES = Path.of(System.getProperty("memmap.fixtures", "../fixtures"));
    static final long MAP = 64L << 20;

    @TempDir
    Path out;

    @Test
    void syn2kGroupsByPostGidLikeUpstream() throws IOException {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        List<SynapseIndexResult> results = SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, out, MAP));
        assertEquals(1, results.size());
        SynapseIndexResult r = results.get(0);
        assertEquals("neocortex_neurons__chemical_synapse", r.population());
        assertEquals(1931, r.elements());
        try (SpatialIndex index = SpatialIndex.open(r.indexFile(), true)) {
            Bounds b = index.bounds();
            Query all = Query.box(b.minX(), b.minY(), b.minZ(), b.maxX(), b.maxY(), b.maxZ(), Accuracy.BEST_EFFORT);
            SortedMap<Long, Long> groups = index.countByPostGid(all);
            assertEquals(47, groups.size());
            assertEquals(30L, groups.get(4L));
            assertEquals(14L, groups.get(8L));
            assertEquals(21L, groups.get(10L));
            assertEquals(1931L, groups.values().stream().mapToLong(Long::longValue).sum());
            assertRecordsMatchHdf5(index, edges, "neocortex_neurons__chemical_synapse");
        }
        JsonNode manifest = new ObjectMapper().readTree(r.directory().resolve(SynapseIndexBuilder.MANIFEST_FILE).toFile());
        assertEquals("synapse", manifest.get("element_type").asText());
        assertEquals(1931, manifest.get("elements").asLong());
        assertEquals(1, manifest.get("format_version").asInt());
        assertEquals("neocortex_neurons__chemical_synapse", manifest.get("source").get("population").asText());
        assertTrue(Files.size(r.indexFile()) <= 40L * 1931 + 1024, "size per synapse");
        try (var listing = Files.list(r.directory()); var siblings = Files.list(out)) {
            assertEquals(List.of(SynapseIndexBuilder.INDEX_FILE, SynapseIndexBuilder.MANIFEST_FILE),
                    listing.map(p -> p.getFileName().toString()).sorted().toList(), "no scratch files left behind");
            assertEquals(1, siblings.count(), "no temporary directories left behind");
        }
    }

    /** Every record holds the position and ids of its edge row, read independently through jhdf's getData. */
    private static void assertRecordsMatchHdf5(SpatialIndex index, Path edges, String population) {
        try (HdfFile h = new HdfFile(edges)) {
            String base = "/edges/" + population;
            float[] x = (float[]) h.getDatasetByPath(base + "/0/afferent_center_x").getData();
            float[] z = (float[]) h.getDatasetByPath(base + "/0/afferent_center_z").getData();
            int[] src = (int[]) h.getDatasetByPath(base + "/source_node_id").getData();
            int[] tgt = (int[]) h.getDatasetByPath(base + "/target_node_id").getData();
            Field fx = index.field("x"), fz = index.field("z"), edge = index.field("edge_id"), pre = index.field("pre_gid"), post = index.field("post_gid");
            boolean[] seen = new boolean[x.length];
            for (long rec = 0; rec < index.count(); rec++) {
                int row = (int) index.getLong(rec, edge);
                assertFalse(seen[row]);
                seen[row] = true;
                assertEquals(x[row], index.getDouble(rec, fx));
                assertEquals(z[row], index.getDouble(rec, fz));
                assertEquals(src[row], index.getLong(rec, pre));
                assertEquals(tgt[row], index.getLong(rec, post));
            }
        }
    }

    @Test
    void usecase1ThroughCircuitConfigWithUint64Ids() {
        Path config = FIXTURES.resolve("sonata/usecases/usecase1/circuit_sonata.json");
        List<SynapseIndexResult> results = SynapseIndexBuilder.build(new SynapseIndexRequest(null, config, List.of(),
                List.of("afferent_section_id"), out, MAP, ConflictStrategy.FAIL));
        assertEquals(1, results.size());
        assertEquals(4, results.get(0).elements());
        try (SpatialIndex index = SpatialIndex.open(results.get(0).indexFile(), true)) {
            assertEquals(FieldType.U32, index.field("afferent_section_id").type(), "extra column keeps the HDF5 dtype");
            Field edge = index.field("edge_id"), pre = index.field("pre_gid"), post = index.field("post_gid"), sec = index.field("afferent_section_id");
            Map<Long, String> rows = new HashMap<>();
            index.query(Query.sphere(446.13733, 98.704346, 302.39615, 0.01, Accuracy.BEST_EFFORT),
                    r -> rows.put(index.getLong(r, edge), index.getLong(r, pre) + "->" + index.getLong(r, post) + " s" + index.getLong(r, sec)));
            assertEquals(Map.of(0L, "0->1 s325"), rows);
            assertEquals(Map.of(0L, 2L, 1L, 2L), index.countByPostGid(Query.box(-1e4, -1e4, -1e4, 1e4, 1e4, 1e4, Accuracy.BOUNDING_BOX)));
        }
    }

    @Test
    void allPopulationsOfAFileWithFloat64Positions() {
        Path edges = FIXTURES.resolve("sonata/snap/edges.h5");
        List<SynapseIndexResult> results = SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(),
                List.of("afferent_section_id"), out, MAP, ConflictStrategy.FAIL));
        assertEquals(List.of("default", "default2"), results.stream().map(SynapseIndexResult::population).toList());
        for (SynapseIndexResult r : results) {
            assertEquals(4, r.elements());
            assertEquals(1110.0, r.bounds().minX());
            assertEquals(1113.0, r.bounds().maxX());
            try (SpatialIndex index = SpatialIndex.open(r.indexFile(), true)) {
                assertEquals(FieldType.I64, index.field("afferent_section_id").type());
                Field edge = index.field("edge_id"), pre = index.field("pre_gid");
                List<String> hits = new ArrayList<>();
                index.query(Query.box(1111, -1e9, -1e9, 1112, 1e9, 1e9, Accuracy.BEST_EFFORT),
                        rec -> hits.add(index.getLong(rec, edge) + ":" + index.getLong(rec, pre)));
                assertEquals(List.of("1:0", "2:0"), hits.stream().sorted().toList());
            }
        }
        MemmapException e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null,
                List.of("default2"), List.of("other1"), out.resolve("default2"), MAP, ConflictStrategy.FAIL)));
        assertTrue(e.getMessage().contains("other1 is not an integer or float dataset"), e.getMessage());
    }

    @Test
    void generatedInt64AndUint64FilesMatchNumpy() throws Exception {
        for (String dtype : new String[] {"int64", "uint64", "int32"}) {
            Path edges = out.resolve(dtype + ".h5");
            JsonNode expected = generate(edges, 20000, dtype, "float64");
            Path dir = Files.createDirectories(out.resolve("idx-" + dtype));
            SynapseIndexResult r = SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of("generated"),
                    List.of("afferent_section_id"), dir, MAP, ConflictStrategy.FAIL)).get(0);
            assertEquals(20000, r.elements());
            try (SpatialIndex index = SpatialIndex.open(r.indexFile(), true)) {
                assertEquals(dtype.equals("uint64") ? FieldType.U64 : FieldType.U32, index.field("pre_gid").type());
                Field edge = index.field("edge_id"), sec = index.field("afferent_section_id"), pre = index.field("pre_gid");
                Map<Long, String> found = new HashMap<>();
                Query box = Query.box(300, 300, 300, 100, 100, 100, Accuracy.BOUNDING_BOX);
                index.query(box, rec -> found.put(index.getLong(rec, edge),
                        index.getLong(rec, sec) + "/" + Long.toUnsignedString(index.getLong(rec, pre))));
                Map<Long, String> want = new HashMap<>();
                for (int i = 0; i < expected.get("rows").size(); i++) {
                    want.put(expected.get("rows").get(i).asLong(), expected.get("sections").get(i).asInt() + "/" + expected.get("pre").get(i).asText());
                }
                assertEquals(want, found, dtype);
                Map<String, Long> byPost = new HashMap<>();
                index.countByPostGid(box).forEach((k, v) -> byPost.put(Long.toUnsignedString(k), v));
                Map<String, Long> wantByPost = new HashMap<>();
                expected.get("by_post").fields().forEachRemaining(e -> wantByPost.put(e.getKey(), e.getValue().asLong()));
                assertEquals(wantByPost, byPost);
            }
        }
    }

    @Test
    void badInputsGiveClearErrors() throws Exception {
        Path nan = out.resolve("nan.h5");
        generate(nan, 3000, "int64", "float32", "--nan-row", "2345");
        MemmapException e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(nan, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("edge row 2345") && e.getMessage().contains("NaN"), e.getMessage());
        assertFalse(Files.exists(out.resolve("generated")), "no half-written output");
        // A NaN centre lies in no region, so every partition checks every row, not only those it keeps.
        org.nifimemmap.index.partition.Partition far = new org.nifimemmap.index.partition.Partition(0, 2,
                new org.nifimemmap.index.partition.Region(1e9, 1e9, 1e9, 2e9, 2e9, 2e9));
        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(new SynapseIndexRequest(nan, null, List.of(), List.of(),
                out, MAP, ConflictStrategy.FAIL, far)));
        assertTrue(e.getMessage().contains("edge row 2345"), e.getMessage());
        try (var left = Files.list(out.resolve("generated"))) {
            assertEquals(0, left.count(), "the failed partition left nothing in its population directory");
        }
        // Partitions built in one read are read on two threads: the error still names the row, nothing is left.
        List<org.nifimemmap.index.partition.Partition> held = List.of(far,
                new org.nifimemmap.index.partition.Partition(1, 2, new org.nifimemmap.index.partition.Region(-1e9, -1e9, -1e9, 1e9, 1e9, 1e9)));
        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.buildPartitions(new SynapseIndexRequest(nan, null, List.of(),
                List.of(), out, MAP, ConflictStrategy.FAIL), held));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("edge row 2345"), e.getMessage());
        try (var left = Files.list(out.resolve("generated"))) {
            assertEquals(0, left.count(), "the failed partitions left nothing in their population directory");
        }
        Files.delete(out.resolve("generated"));

        Path shortTarget = out.resolve("short.h5");
        generate(shortTarget, 100, "int64", "float32", "--short-target");
        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(shortTarget, out, MAP)));
        assertTrue(e.getMessage().contains("target_node_id has 99 rows"), e.getMessage());

        Path noPositions = FIXTURES.resolve("sonata/libsonata/edges1.h5");
        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(noPositions, out, MAP)));
        assertTrue(e.getMessage().contains("afferent_center_x"), e.getMessage());

        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(new SynapseIndexRequest(
                FIXTURES.resolve("sonata/syn-2k/edges.h5"), null, List.of("nope"), List.of(), out, MAP, ConflictStrategy.FAIL)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("neocortex_neurons__chemical_synapse"), "lists the populations: " + e.getMessage());

        Path text = Files.writeString(out.resolve("not.h5"), "not hdf5 at all".repeat(100));
        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(text, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(text + ": not a readable HDF5 file"), e.getMessage());

        e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(
                FIXTURES.resolve("sonata/syn-2k/edges.h5"), out, 10_000)));
        assertTrue(e.getMessage().contains("1,931 elements needs at least"), e.getMessage());
    }

    @Test
    void truncatedAndImpossibleEdgesFilesAreInvalidInputNamingTheFile() throws Exception {
        byte[] whole = Files.readAllBytes(FIXTURES.resolve("sonata/usecases/usecase1/edges.h5"));
        Path truncated = Files.write(out.resolve("truncated.h5"), java.util.Arrays.copyOf(whole, 20_000));
        MemmapException e = assertThrows(MemmapException.class,
                () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(truncated, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(truncated + ": truncated HDF5 file"), e.getMessage());

        // 2^40 rows declared, one chunk written: refused from its shape, not read row by row.
        Path huge = out.resolve("huge.h5");
        org.nifimemmap.morphology.H5py.run("with h5py.File('" + huge + "', 'w') as f:\n"
                + "    g = f.create_group('edges/big')\n"
                + "    for name in ['source_node_id', 'target_node_id', '0/afferent_center_x', '0/afferent_center_y', "
                + "'0/afferent_center_z']:\n"
                + "        g.create_dataset(name, shape=(2**40,), dtype='f4' if name.startswith('0') else 'i8', "
                + "chunks=(4096,))[0] = 1\n");
        e = assertThrows(MemmapException.class,
                () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(huge, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(huge + ":/edges/big/source_node_id declares shape [" + (1L << 40) + "]"),
                e.getMessage());
        try (java.util.stream.Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(huge, truncated), left.sorted().toList(), "no output and no temporary left");
        }
    }

    @Test
    void jhdfInfoLoggingIsTurnedDown() {
        EdgesFile.open(FIXTURES.resolve("sonata/syn-2k/edges.h5")).close();
        ch.qos.logback.classic.Logger jhdf = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("io.jhdf");
        assertEquals(ch.qos.logback.classic.Level.WARN, jhdf.getLevel());
    }

    @Test
    void conflictStrategies() {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, out, MAP));
        MemmapException e = assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges, out, MAP)));
        assertEquals(ErrorKind.OUTPUT_EXISTS, e.kind());
        SynapseIndexResult ignored = SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), out, MAP, ConflictStrategy.IGNORE)).get(0);
        assertTrue(ignored.skipped());
        SynapseIndexResult replaced = SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), out, MAP, ConflictStrategy.REPLACE)).get(0);
        assertEquals(1931, replaced.elements());
    }

    static JsonNode generate(Path file, int n, String idType, String posType, String... flags) throws Exception {
        Path script = Path.of(SynapseIndexBuilderTest.class.getResource("/sonata/make_edges.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), file.toString(), Integer.toString(n), idType, posType, "7"));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        String stderr = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), stderr);
        return new ObjectMapper().readTree(stdout);
    }
}
