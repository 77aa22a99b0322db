package org.nifimemmap.sonata.circuit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.MorphologyFiles;
import org.nifimemmap.morphology.Section;
import org.nifimemmap.sonata.nodes.NodeSelection;

class SegmentIndexBuilderTest {
    static final Path SONATA = Path.of(System.getProperty("memmap.fixtures", "../fixtures")).toAbsolutePath()
            .normalize().resolve("sonata");
    static final Path CIRCUIT10 = SONATA.resolve("circuit-10");
    static final Path CIRCUIT10_MORPHOLOGIES = CIRCUIT10.resolve("morphologies/ascii");
    static final Path USECASE1 = SONATA.resolve("usecases/usecase1/circuit_sonata.json");
    static final Path SNAP = SONATA.resolve("snap/circuit_config.json");
    static final long MAP = 64L << 20;

    @TempDir
    Path out;

    @Test
    void circuit10FromNodesFileAndMorphologyDirectory() throws IOException {
        List<SegmentIndexResult> results = SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(CIRCUIT10.resolve("nodes.h5"), CIRCUIT10_MORPHOLOGIES, out, MAP));
        assertEquals(1, results.size());
        SegmentIndexResult r = results.get(0);
        assertEquals("All", r.population());
        assertEquals(10, r.nodes());
        assertEquals(21_990, r.elements());
        assertEquals(0, r.skippedNodes().count());
        Map<String, float[]> records = IndexRecords.read(r.indexFile());
        assertEquals(21_990, records.size());
        assertEquals(10, records.keySet().stream().filter(k -> k.endsWith("/0/0/0")).count(), "one soma per cell");
        assertTrue(Files.size(r.indexFile()) <= 40L * 21_990, "<= 40 bytes per element: " + Files.size(r.indexFile()) / 21_990.0);
        JsonNode manifest = new ObjectMapper().readTree(r.directory().resolve(IndexDirectory.MANIFEST_FILE).toFile());
        assertEquals("segment", manifest.get("element_type").asText());
        assertEquals(21_990, manifest.get("elements").asLong());
        assertEquals(10, manifest.get("nodes").asLong());
        assertEquals("All", manifest.get("source").get("population").asText());
        assertEquals(CIRCUIT10.resolve("nodes.h5").toString(), manifest.get("source").get("nodes_file").asText());
        assertEquals(CIRCUIT10_MORPHOLOGIES.toString(), manifest.get("source").get("morphologies").asText());
        assertEquals(0, manifest.get("skipped_nodes").get("count").asLong());
        try (var listing = Files.list(r.directory()); var siblings = Files.list(out)) {
            assertEquals(List.of(IndexDirectory.INDEX_FILE, IndexDirectory.MANIFEST_FILE),
                    listing.map(p -> p.getFileName().toString()).sorted().toList(), "no scratch files left behind");
            assertEquals(1, siblings.count(), "no temporary directories left behind");
        }
    }

    @Test
    void usecase1ThroughCircuitConfigFromSwcAndAlternateAsc() throws IOException {
        SegmentIndexRequest swc = SegmentIndexRequest.ofCircuitConfig(USECASE1, Files.createDirectories(out.resolve("swc")), MAP);
        SegmentIndexResult fromSwc = SegmentIndexBuilder.build(swc).get(0);
        assertEquals("nodeA", fromSwc.population());
        assertEquals(13_632, fromSwc.elements());
        SegmentIndexResult fromAsc = SegmentIndexBuilder.build(swc.withMorphologyFormat(MorphologyFormat.NEUROLUCIDA_ASC)
                .withPopulations(List.of("nodeA")).withConflict(ConflictStrategy.REPLACE)).get(0);
        assertEquals(13_632, fromAsc.elements());
        JsonNode manifest = new ObjectMapper().readTree(fromAsc.directory().resolve(IndexDirectory.MANIFEST_FILE).toFile());
        assertTrue(manifest.get("source").get("morphologies").asText().endsWith("morphologies/asc"), manifest.toString());
        assertEquals("neurolucida-asc", manifest.get("source").get("morphology_format").asText());
        assertEquals(USECASE1.toString(), manifest.get("source").get("circuit_config").asText());
    }

    /** Every element of node 3 equals its morphology point rotated by the node's quaternion and translated. */
    @Test
    void placementFollowsQuaternionToFloat32() {
        SegmentIndexResult r = SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(CIRCUIT10.resolve("nodes.h5"), CIRCUIT10_MORPHOLOGIES, out, MAP)).get(0);
        double[] q = new double[4];
        double[] position = new double[3];
        try (HdfFile f = new HdfFile(CIRCUIT10.resolve("nodes.h5"))) {
            for (int i = 0; i < 4; i++) {
                q[i] = ((double[]) f.getDatasetByPath("/nodes/All/0/orientation_" + "wxyz".charAt(i)).getData())[3];
            }
            for (int a = 0; a < 3; a++) {
                position[a] = ((double[]) f.getDatasetByPath("/nodes/All/0/" + "xyz".charAt(a)).getData())[3];
            }
        }
        Morphology m = MorphologyFiles.read(CIRCUIT10_MORPHOLOGIES.resolve("sm090227a1-2_idC.asc"));
        assertCellPlaced(IndexRecords.read(r.indexFile()), 3, m, p -> rotateByQuaternion(q, p), position);
    }

    /** snap's nodes.h5 stores Euler angles: R = Rx . Ry . Rz, built here by multiplying the three matrices. */
    @Test
    void placementFollowsEulerAnglesToFloat32() {
        SegmentIndexResult r = SegmentIndexBuilder.build(SegmentIndexRequest.ofCircuitConfig(SNAP, out, MAP)
                .withPopulations(List.of("default")).withNodeIds(NodeSelection.parse("0"))).get(0);
        assertEquals(1, r.nodes());
        double[] angle = new double[3];
        double[] position = new double[3];
        try (HdfFile f = new HdfFile(SONATA.resolve("snap/nodes.h5"))) {
            for (int a = 0; a < 3; a++) {
                angle[a] = ((double[]) f.getDatasetByPath("/nodes/default/0/rotation_angle_" + "xyz".charAt(a) + "axis").getData())[0];
                position[a] = ((double[]) f.getDatasetByPath("/nodes/default/0/" + "xyz".charAt(a)).getData())[0];
            }
        }
        assertTrue(angle[0] != 0 || angle[1] != 0 || angle[2] != 0, "the fixture node must be rotated");
        double[][] rot = multiply(multiply(axisRotation(0, angle[0]), axisRotation(1, angle[1])), axisRotation(2, angle[2]));
        Morphology m = MorphologyFiles.read(SONATA.resolve("snap/morphologies/morph-A.h5"));
        Map<String, float[]> records = IndexRecords.read(r.indexFile());
        assertEquals(m.segmentCount() + 1, records.size());
        assertCellPlaced(records, 0, m, p -> multiply(rot, p), position);
    }

    @Test
    void eulerAnglesAndEquivalentQuaternionsGiveTheSameIndex() throws Exception {
        Path euler = out.resolve("euler.h5");
        Path quaternion = out.resolve("quaternion.h5");
        generateNodes(euler, 6, "sm090227a1-2_idC", "euler");
        generateNodes(quaternion, 6, "sm090227a1-2_idC", "quaternion");
        Map<String, float[]> a = IndexRecords.read(SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(euler,
                CIRCUIT10_MORPHOLOGIES, Files.createDirectories(out.resolve("e")), MAP)).get(0).indexFile());
        Map<String, float[]> b = IndexRecords.read(SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(quaternion,
                CIRCUIT10_MORPHOLOGIES, Files.createDirectories(out.resolve("q")), MAP)).get(0).indexFile());
        assertEquals(6 * 2199, a.size());
        assertEquals(a.keySet(), b.keySet());
        int exact = 0;
        for (Map.Entry<String, float[]> e : a.entrySet()) {
            float[] x = e.getValue();
            float[] y = b.get(e.getKey());
            for (int i = 0; i < x.length; i++) {
                // Two roundings of the same rotation: the float32 results agree to within a few ulps of the coordinate.
                assertEquals(x[i], y[i], 4 * Math.ulp(Math.max(Math.abs(x[i]), 512f)), e.getKey() + " value " + i);
                exact += x[i] == y[i] ? 1 : 0;
            }
        }
        assertTrue(exact > a.size() * 8 * 0.9, "nearly all values are bit-identical: " + exact);
    }

    @Test
    void nodeIdSubsetIndexesOnlyThoseNodes() {
        SegmentIndexResult r = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(CIRCUIT10.resolve("nodes.h5"),
                CIRCUIT10_MORPHOLOGIES, out, MAP).withNodeIds(NodeSelection.parse("0-2, 5"))).get(0);
        assertEquals(4, r.nodes());
        assertEquals(4 * 2199, r.elements());
        Set<Long> gids = new HashSet<>();
        for (String key : IndexRecords.read(r.indexFile()).keySet()) {
            gids.add(Long.parseLong(key.substring(0, key.indexOf('/'))));
        }
        assertEquals(Set.of(0L, 1L, 2L, 5L), gids);
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(
                CIRCUIT10.resolve("nodes.h5"), CIRCUIT10_MORPHOLOGIES, out, MAP).withNodeIds(NodeSelection.parse("8-12"))
                .withConflict(ConflictStrategy.REPLACE)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("8-12"), e.getMessage());
    }

    /** snap's morph-B.swc and morph-C.asc are 0-byte files upstream. */
    @Test
    void emptyMorphologyFilesFailNamingNodeAndFileOrAreSkippedAndListed() throws IOException {
        SegmentIndexRequest snap = SegmentIndexRequest.ofCircuitConfig(SNAP, out, MAP).withPopulations(List.of("default"));
        // Default order h5, asc, swc: morph-B has an .h5; morph-C only its empty .asc.
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(snap));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("node 2") && e.getMessage().contains("morph-C.asc")
                && e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(snap.withMorphologyFormat(MorphologyFormat.SWC)));
        assertTrue(e.getMessage().contains("node 1") && e.getMessage().contains("morph-B.swc"), e.getMessage());
        // h5v1 without alternate_morphologies: the .h5 files of morphologies_dir; morph-C has none.
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(snap.withMorphologyFormat(MorphologyFormat.H5V1)));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("node 2") && e.getMessage().contains("morph-C.h5"), e.getMessage());
        try (var listing = Files.list(out)) {
            assertEquals(0, listing.count(), "a failed build leaves nothing behind");
        }

        SegmentIndexResult r = SegmentIndexBuilder.build(snap.withMorphologyFormat(MorphologyFormat.SWC)
                .withSkipUnreadableMorphologies(true)).get(0);
        assertEquals(1, r.nodes());
        assertEquals(2, r.skippedNodes().count());
        assertEquals("1-2", r.skippedNodes().idsText());
        assertTrue(r.skippedNodes().idsComplete());
        assertEquals(2, r.skippedNodes().errors().size());
        assertTrue(r.skippedNodes().errors().get(0).contains("morph-B.swc"), r.skippedNodes().errors().toString());
        assertTrue(r.skippedNodes().errors().get(1).contains("morph-C.swc"), "names the file looked for: " + r.skippedNodes().errors());
        Morphology a = MorphologyFiles.read(SONATA.resolve("snap/morphologies/morph-A.swc"));
        assertEquals(a.segmentCount() + 1, r.elements());
        JsonNode manifest = new ObjectMapper().readTree(r.directory().resolve(IndexDirectory.MANIFEST_FILE).toFile());
        assertEquals(2, manifest.get("skipped_nodes").get("count").asLong());
        assertEquals("1-2", manifest.get("skipped_nodes").get("ids").asText());
        assertEquals("swc", manifest.get("source").get("morphology_format").asText());
    }

    @Test
    void morphologyContainerWithNodesFile() {
        Path container = SONATA.resolve("snap/morphologies/container-morphs.h5");
        SegmentIndexRequest request = new SegmentIndexRequest(null, SONATA.resolve("snap/nodes.h5"), container, List.of("default"),
                NodeSelection.all(), MorphologyFormat.H5V1, out, MAP, ConflictStrategy.FAIL, true);
        SegmentIndexResult r = SegmentIndexBuilder.build(request).get(0);
        // The container holds morph-A and morph-B; node 2's morph-C is not in it.
        assertEquals("2", r.skippedNodes().idsText());
        assertTrue(r.skippedNodes().errors().get(0).contains("morph-C"), r.skippedNodes().errors().toString());
        long expected = 0;
        for (String name : List.of("morph-A", "morph-B")) {
            Morphology m = new org.nifimemmap.morphology.H5MorphologyReader().read(container, name);
            expected += m.segmentCount() + 1;
        }
        assertEquals(2, r.nodes());
        assertEquals(expected, r.elements());
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                request.withMorphologyFormat(MorphologyFormat.SWC).withConflict(ConflictStrategy.REPLACE)));
        assertTrue(e.getMessage().contains("only HDF5 morphologies come in containers"), e.getMessage());
    }

    /** Nodes are placed grouped by morphology; skipped ids are still listed in id order, merged into ranges. */
    @Test
    void interleavedMorphologiesAreSkippedAsRangesInIdOrder() throws Exception {
        Path nodes = out.resolve("interleaved.h5");
        generateNodes(nodes, 9, "missing-a", "euler", "--odd-morphology", "missing-b");
        Path empty = Files.createDirectories(out.resolve("no-morphologies"));
        SegmentIndexResult r = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(nodes, empty, out, MAP)
                .withSkipUnreadableMorphologies(true).withNodeIds(NodeSelection.parse("0-6, 8"))).get(0);
        assertEquals("0-6, 8", r.skippedNodes().idsText());
        assertEquals(8, r.skippedNodes().count());
        assertEquals(2, r.skippedNodes().errors().size(), "one error per distinct morphology: " + r.skippedNodes().errors());
        assertEquals(0, r.elements());
    }

    /**
     * More morphologies than the cache holds, each used by nodes in every read batch: placing in one pass per group
     * of morphologies parses each file once (a single pass would parse each about once per batch).
     */
    @Test
    void morphologiesBeyondTheCacheAreParsedOnce() throws Exception {
        int names = SegmentIndexBuilder.MORPHOLOGY_CACHE + 44;
        int n = 2 * SegmentIndexBuilder.BATCH + 5_000;
        Path morphologies = Files.createDirectories(out.resolve("tiny"));
        for (int i = 0; i < names; i++) {
            Files.writeString(morphologies.resolve("m" + i + ".swc"), "1 1 0 0 0 1 -1\n2 3 0 5 0 0.5 1\n3 3 0 " + (10 + i) + " 0 0.5 2\n");
        }
        Path nodes = out.resolve("many.h5");
        generateNodes(nodes, n, "m", "euler", "--names", Integer.toString(names));
        SegmentIndexResult r = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(nodes, morphologies, out, MAP)).get(0);
        assertEquals(n, r.nodes());
        assertEquals(2L * n, r.elements(), "a soma and one segment per cell");
        assertEquals(names, r.morphologiesParsed());
        JsonNode manifest = new ObjectMapper().readTree(r.directory().resolve(IndexDirectory.MANIFEST_FILE).toFile());
        assertEquals(names, manifest.get("morphologies_parsed").asInt());
        // Each cell got its own morphology: node 301 uses m1, whose segment ends at y = 11 before rotation.
        Map<String, float[]> records = IndexRecords.read(r.indexFile());
        float[] soma = records.get(IndexRecords.key(names + 1, 0, 0, 0));
        float[] segment = records.get(IndexRecords.key(names + 1, 1, 0, 1));
        double length = Math.sqrt(Math.pow(segment[3] - segment[0], 2) + Math.pow(segment[4] - segment[1], 2) + Math.pow(segment[5] - segment[2], 2));
        assertEquals(11 - 5, length, 1e-3);
        assertTrue(soma != null);
    }

    /** No population named: every biophysical one of the config, each in its own directory. */
    @Test
    void allBiophysicalPopulationsOfAConfig() throws IOException {
        List<SegmentIndexResult> results = SegmentIndexBuilder.build(SegmentIndexRequest.ofCircuitConfig(SNAP, out, MAP)
                .withSkipUnreadableMorphologies(true));
        assertEquals(List.of("default", "default2"), results.stream().map(SegmentIndexResult::population).toList());
        assertEquals("2", results.get(0).skippedNodes().idsText());
        // default2's morphologies (morph-D .. morph-G) do not exist: an empty index, every node listed.
        SegmentIndexResult empty = results.get(1);
        assertEquals(0, empty.elements());
        assertEquals(0, empty.nodes());
        assertEquals("0-3", empty.skippedNodes().idsText());
        assertEquals(4, empty.skippedNodes().errors().size());
        assertTrue(Files.isRegularFile(empty.indexFile()));
        assertEquals(0, IndexRecords.read(empty.indexFile()).size());
    }

    @Test
    void badInputsGiveErrorsNamingWhatAndWhere() throws Exception {
        Path nodes = CIRCUIT10.resolve("nodes.h5");
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(nodes, CIRCUIT10_MORPHOLOGIES, out, MAP).withPopulations(List.of("nope"))));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("[All]"), e.getMessage());

        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofCircuitConfig(USECASE1, out, MAP).withPopulations(List.of("nodeB"))));
        assertTrue(e.getMessage().contains("[nodeA]"), e.getMessage());

        Path noX = out.resolve("no-x.h5");
        generateNodes(noX, 3, "sm090227a1-2_idC", "quaternion", "--no-x");
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(noX, CIRCUIT10_MORPHOLOGIES, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(noX.toString()) && e.getMessage().contains("/nodes/cells/0/x is missing"), e.getMessage());

        Path nanX = out.resolve("nan-x.h5");
        generateNodes(nanX, 3, "sm090227a1-2_idC", "quaternion", "--nan-x", "1");
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(nanX, CIRCUIT10_MORPHOLOGIES, out, MAP)));
        assertTrue(e.getMessage().contains(nanX + ":/nodes/cells node 1") && e.getMessage().contains("non-finite"), e.getMessage());

        Path morphologies = Files.createDirectories(out.resolve("morphologies"));
        Path bad = Files.writeString(morphologies.resolve("bad.swc"), "1 1 0 0 0 1 -1\n2 3 0 1 0\n");
        Path badNodes = out.resolve("bad.h5");
        generateNodes(badNodes, 3, "bad", "euler");
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(badNodes, morphologies, out, MAP)));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("node 0") && e.getMessage().contains(bad.toString()), e.getMessage());

        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(nodes, CIRCUIT10_MORPHOLOGIES, out, 100_000)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        String need = String.format("%,d bytes", org.nifimemmap.index.SegmentIndexWriter.mapBytesNeeded(21_990));
        assertTrue(e.getMessage().contains("21,990 elements of 10 nodes") && e.getMessage().contains(need), e.getMessage());
        // A partition counts the elements it keeps as it places them, and past the cap goes on counting to state the need.
        e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(nodes, CIRCUIT10_MORPHOLOGIES, out, 100_000)
                        .withPartition(new org.nifimemmap.index.partition.Partition(0, 1, org.nifimemmap.index.partition.Region.ALL))));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("21,990 elements of 10 nodes") && e.getMessage().contains(need), e.getMessage());

        try (var partitionsOfAll = Files.list(out.resolve("All"))) {
            assertEquals(0, partitionsOfAll.count(), "the failed partition left nothing in the population directory it shares");
        }
        Files.delete(out.resolve("All"));
        try (var listing = Files.list(out)) {
            assertEquals(Set.of("no-x.h5", "nan-x.h5", "morphologies", "bad.h5"),
                    listing.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()), "no output left behind");
        }
    }

    @Test
    void conflictStrategies() {
        SegmentIndexRequest request = SegmentIndexRequest.ofNodesFile(CIRCUIT10.resolve("nodes.h5"), CIRCUIT10_MORPHOLOGIES, out, MAP)
                .withNodeIds(NodeSelection.parse("0"));
        SegmentIndexBuilder.build(request);
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(request));
        assertEquals(ErrorKind.OUTPUT_EXISTS, e.kind());
        SegmentIndexResult ignored = SegmentIndexBuilder.build(request.withConflict(ConflictStrategy.IGNORE)).get(0);
        assertTrue(ignored.skipped());
        assertEquals(-1, ignored.elements());
        SegmentIndexResult replaced = SegmentIndexBuilder.build(request.withConflict(ConflictStrategy.REPLACE)
                .withNodeIds(NodeSelection.parse("0-1"))).get(0);
        assertFalse(replaced.skipped());
        assertEquals(2 * 2199, replaced.elements());
    }

    private static void assertCellPlaced(Map<String, float[]> records, long gid, Morphology m, UnaryOperator<double[]> rotate,
                                         double[] position) {
        int checked = 0;
        for (Section s : m.sections()) {
            float[] p = s.points();
            for (int j = 0; j + 1 < s.pointCount(); j++) {
                float[] rec = records.get(IndexRecords.key(gid, s.id() + 1, j, 1));
                assertTrue(rec != null, "section " + (s.id() + 1) + " segment " + j + " is indexed");
                for (int end = 0; end < 2; end++) {
                    int k = j + end;
                    double[] placed = rotate.apply(new double[] {p[3 * k], p[3 * k + 1], p[3 * k + 2]});
                    for (int a = 0; a < 3; a++) {
                        float expected = (float) (placed[a] + position[a]);
                        assertEquals(expected, rec[3 * end + a], Math.ulp(expected),
                                "section " + (s.id() + 1) + " segment " + j + " end " + end + " axis " + a);
                    }
                }
                assertEquals((s.diameters()[j] + s.diameters()[j + 1]) / 4, rec[6], 1e-6f);
                assertEquals(s.type(), (int) rec[7]);
                checked++;
            }
        }
        assertEquals(m.segmentCount(), checked);
        float[] soma = records.get(IndexRecords.key(gid, 0, 0, 0));
        float[] sp = m.soma().points();
        double[] centroid = new double[3];
        int n = m.soma().pointCount();
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                centroid[a] += sp[3 * i + a] / (double) n;
            }
        }
        for (int a = 0; a < 3; a++) {
            float expected = (float) (centroid[a] + position[a]);
            assertEquals(expected, soma[a], Math.ulp(expected), "soma centre is not rotated, axis " + a);
            assertEquals(soma[a], soma[3 + a]);
        }
    }

    /** v' = v + 2w(u x v) + 2 u x (u x v) for the normalised quaternion (w, u). */
    private static double[] rotateByQuaternion(double[] q, double[] v) {
        double norm = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double w = q[0] / norm, ux = q[1] / norm, uy = q[2] / norm, uz = q[3] / norm;
        double cx = uy * v[2] - uz * v[1], cy = uz * v[0] - ux * v[2], cz = ux * v[1] - uy * v[0];
        double ccx = uy * cz - uz * cy, ccy = uz * cx - ux * cz, ccz = ux * cy - uy * cx;
        return new double[] {v[0] + 2 * (w * cx + ccx), v[1] + 2 * (w * cy + ccy), v[2] + 2 * (w * cz + ccz)};
    }

    private static double[][] axisRotation(int axis, double angle) {
        double c = Math.cos(angle), s = Math.sin(angle);
        return switch (axis) {
            case 0 -> new double[][] {{1, 0, 0}, {0, c, -s}, {0, s, c}};
            case 1 -> new double[][] {{c, 0, s}, {0, 1, 0}, {-s, 0, c}};
            default -> new double[][] {{c, -s, 0}, {s, c, 0}, {0, 0, 1}};
        };
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[] multiply(double[][] m, double[] v) {
        double[] r = new double[3];
        for (int i = 0; i < 3; i++) {
            r[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
        }
        return r;
    }

    static void generateNodes(Path file, int n, String morphology, String orientation, String... flags) throws Exception {
        Path script = Path.of(SegmentIndexBuilderTest.class.getResource("/sonata/make_nodes.py").toURI());
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), file.toString(), Integer.toString(n), "7",
                morphology, orientation));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), output);
    }
}
