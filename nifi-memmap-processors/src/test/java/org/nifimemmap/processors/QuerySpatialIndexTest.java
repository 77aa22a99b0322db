package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SegmentIndexWriter;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

class QuerySpatialIndexTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path shared;
    static Path syn2k;
    static Bounds bounds;

    @TempDir
    Path dir;
    TestRunner runner;

    @BeforeAll
    static void buildSyn2k() {
        syn2k = SynapseIndexBuilder.build(new SynapseIndexRequest(SonataFixtures.SYN_2K, null, List.of(),
                List.of("afferent_section_id"), shared, 64L << 20, ConflictStrategy.FAIL)).getFirst().indexFile();
        try (SpatialIndex index = SpatialIndex.open(syn2k, true)) {
            bounds = index.bounds();
        }
    }

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(QuerySpatialIndex.class);
        everything();
    }

    /** A box that covers every synapse of syn-2k. */
    private void everything() {
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, bounds.minX() + "," + bounds.minY() + "," + bounds.minZ());
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, bounds.maxX() + ", " + bounds.maxY() + ", " + bounds.maxZ());
    }

    private void enqueue(Path index) {
        runner.enqueue("content", Map.of("index.path", index.toString()));
    }

    private MockFlowFile onlySuccess() {
        runner.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(QuerySpatialIndex.REL_SUCCESS).getFirst();
    }

    private MockFlowFile onlyFailure(String type) {
        runner.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_FAILURE, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(QuerySpatialIndex.REL_FAILURE).getFirst();
        f.assertAttributeEquals("memmap.error.type", type);
        assertTrue(runner.getPenalizedFlowFiles().contains(f), "failed FlowFile is penalized");
        return f;
    }

    private static Map<String, String> csvGroups(String text) {
        Map<String, String> groups = new HashMap<>();
        List<String> lines = text.lines().toList();
        assertEquals("post_gid,count", lines.getFirst());
        lines.stream().skip(1).forEach(l -> groups.put(l.split(",")[0], l.split(",")[1]));
        return groups;
    }

    private static void assertUpstreamGroups(Map<String, String> groups) {
        assertEquals(47, groups.size());
        assertEquals("30", groups.get("4"));
        assertEquals("14", groups.get("8"));
        assertEquals("21", groups.get("10"));
        assertEquals(1931, groups.values().stream().mapToInt(Integer::parseInt).sum());
    }

    /** Edge ids the engine finds for a query, the reference the processor's output is compared with. */
    private static Set<Long> engineEdgeIds(Query query) {
        Set<Long> ids = new HashSet<>();
        try (SpatialIndex index = SpatialIndex.open(syn2k, false)) {
            Field edge = index.field("edge_id");
            index.scan(query, r -> ids.add(index.getLong(r, edge)));
        }
        return ids;
    }

    @Test
    void countByPostGidOverEverythingMatchesUpstream() {
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        enqueue(syn2k);
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertAttributeEquals("query.count", "1931");
        f.assertAttributeEquals("query.groups", "47");
        f.assertAttributeEquals("query.result", "count_by_post_gid");
        f.assertAttributeEquals("query.result.location", "content");
        f.assertAttributeEquals("query.index.path", syn2k.toString());
        f.assertAttributeEquals("mime.type", "text/csv");
        assertUpstreamGroups(csvGroups(f.getContent()));
        assertEquals(ProvenanceEventType.FETCH, runner.getProvenanceEvents().getFirst().getEventType());
        assertEquals(syn2k.toUri().toString(), runner.getProvenanceEvents().getFirst().getTransitUri());
        assertEquals(1, runner.getCounterValue("Queries run"));
        assertEquals(1931, runner.getCounterValue("Elements matched"));
    }

    @Test
    void countByPostGidAsJsonLines() throws IOException {
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        runner.setProperty(QuerySpatialIndex.RESULT_FORMAT, QuerySpatialIndex.JSON_LINES.getValue());
        enqueue(syn2k);
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertAttributeEquals("mime.type", "application/x-ndjson");
        Map<String, String> groups = new HashMap<>();
        List<Long> order = new ArrayList<>();
        for (String line : f.getContent().lines().toList()) {
            JsonNode g = JSON.readTree(line);
            groups.put(g.get("post_gid").asText(), g.get("count").asText());
            order.add(g.get("post_gid").asLong());
        }
        assertUpstreamGroups(groups);
        assertEquals(order.stream().sorted().toList(), order, "post_gid in increasing order");
    }

    @Test
    void countLeavesTheContentAlone() {
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, "0,0,0");
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "${hi}");
        double hiX = (bounds.minX() + bounds.maxX()) / 2;
        runner.enqueue("content", Map.of("index.path", syn2k.toString(), "hi", hiX + "," + bounds.maxY() + "," + bounds.maxZ()));
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertContentEquals("content");
        f.assertAttributeEquals("query.result.location", "none");
        f.assertAttributeNotExists("mime.type");
        Query query = Query.box(0, 0, 0, hiX, bounds.maxY(), bounds.maxZ(), Accuracy.BEST_EFFORT);
        int expected = engineEdgeIds(query).size();
        assertTrue(expected > 0 && expected < 1931, "the half box splits the circuit: " + expected);
        f.assertAttributeEquals("query.count", Integer.toString(expected));
    }

    @Test
    void elementsAsCsvWithChosenFields() {
        runner.setProperty(QuerySpatialIndex.SHAPE, QuerySpatialIndex.SPHERE.getValue());
        double cx = (bounds.minX() + bounds.maxX()) / 2, cy = (bounds.minY() + bounds.maxY()) / 2, cz = (bounds.minZ() + bounds.maxZ()) / 2;
        double radius = (bounds.maxX() - bounds.minX()) / 4;
        runner.setProperty(QuerySpatialIndex.SPHERE_CENTER, cx + "," + cy + "," + cz);
        runner.setProperty(QuerySpatialIndex.SPHERE_RADIUS, Double.toString(radius));
        runner.setProperty(QuerySpatialIndex.FIELDS, "edge_id, post_gid,afferent_section_id");
        enqueue(syn2k);
        runner.run();
        MockFlowFile f = onlySuccess();
        List<String> lines = f.getContent().lines().toList();
        assertEquals("edge_id,post_gid,afferent_section_id", lines.getFirst());
        Set<Long> ids = new HashSet<>();
        lines.stream().skip(1).forEach(l -> ids.add(Long.parseLong(l.split(",")[0])));
        Set<Long> expected = engineEdgeIds(Query.sphere(cx, cy, cz, radius, Accuracy.BEST_EFFORT));
        assertTrue(!expected.isEmpty() && expected.size() < 1931, "the sphere splits the circuit: " + expected.size());
        assertEquals(expected, ids);
        f.assertAttributeEquals("query.count", Integer.toString(expected.size()));
    }

    @Test
    void elementsAsJsonLinesWithEveryColumn() throws IOException {
        runner.setProperty(QuerySpatialIndex.RESULT_FORMAT, QuerySpatialIndex.JSON_LINES.getValue());
        enqueue(syn2k);
        runner.run();
        MockFlowFile f = onlySuccess();
        List<String> lines = f.getContent().lines().toList();
        assertEquals(1931, lines.size());
        JsonNode first = JSON.readTree(lines.getFirst());
        List<String> keys = new ArrayList<>();
        first.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("x", "y", "z", "edge_id", "pre_gid", "post_gid", "afferent_section_id"), keys);
        Set<Long> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(JSON.readTree(line).get("edge_id").asLong());
        }
        assertEquals(1931, ids.size());
    }

    @Test
    void indexDirectoryStandsForItsIndexFile() {
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        runner.setProperty(QuerySpatialIndex.INDEX_PATH, "${index.directory}");
        runner.enqueue("", Map.of("index.directory", syn2k.getParent().toString()));
        runner.run();
        onlySuccess().assertAttributeEquals("query.count", "1931");
    }

    @Test
    void accuracyDecidesForSegmentsNearTheirBoxCorners() throws IOException {
        // A thin diagonal segment: its bounding box reaches the corner box, the capsule around it does not.
        Path segments = dir.resolve("segments.nmsidx");
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 2)) {
            w.addSoma(7, 50, 50, 50, 1);
            w.addSegment(3, 1, 0, 3, 0, 0, 0, 10, 10, 0, 0.1f);
            w.writeTo(segments);
        }
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, "9,0,-1");
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "10,1,1");
        enqueue(segments);
        runner.run();
        onlySuccess().assertAttributeEquals("query.count", "0");

        runner.clearTransferState();
        runner.setProperty(QuerySpatialIndex.ACCURACY, QuerySpatialIndex.BOUNDING_BOX.getValue());
        enqueue(segments);
        runner.run();
        onlySuccess().assertAttributeEquals("query.count", "1");

        runner.clearTransferState();
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        enqueue(segments);
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("synapse index"));
    }

    @Test
    void largeResultsGoToAFileInTheResultsDirectory() throws IOException {
        Path results = Files.createDirectory(dir.resolve("results"));
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, results.toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "46");
        enqueue(syn2k);
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertContentEquals("content");
        f.assertAttributeEquals("query.result.location", "file");
        f.assertAttributeEquals("query.groups", "47");
        Path file = results.resolve(f.getAttribute("uuid") + ".csv");
        f.assertAttributeEquals("query.result.path", file.toString());
        assertUpstreamGroups(csvGroups(Files.readString(file)));
        assertEquals(ProvenanceEventType.SEND, runner.getProvenanceEvents().getFirst().getEventType());
        assertEquals(file.toUri().toString(), runner.getProvenanceEvents().getFirst().getTransitUri());
        try (Stream<Path> s = Files.list(results)) {
            assertEquals(1, s.count(), "no temporaries left");
        }

        runner.clearTransferState();
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "47");
        enqueue(syn2k);
        runner.run();
        onlySuccess().assertAttributeEquals("query.result.location", "content");
    }

    @Test
    void elementsOverTheLimitAreCountedThenWrittenToANamedFile() throws IOException {
        Path results = Files.createDirectory(dir.resolve("results"));
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, results.toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "0");
        runner.setProperty(QuerySpatialIndex.RESULTS_FILE_NAME, "${name}.jsonl");
        runner.setProperty(QuerySpatialIndex.RESULT_FORMAT, QuerySpatialIndex.JSON_LINES.getValue());
        runner.setProperty(QuerySpatialIndex.FIELDS, "edge_id");
        runner.enqueue("content", Map.of("index.path", syn2k.toString(), "name", "all-synapses"));
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertAttributeEquals("query.count", "1931");
        Path file = results.resolve("all-synapses.jsonl");
        f.assertAttributeEquals("query.result.path", file.toString());
        assertEquals(1931, Files.readAllLines(file).size());
        assertEquals("{\"edge_id\":", Files.readAllLines(file).getFirst().substring(0, 11));

        runner.clearTransferState();
        runner.enqueue("content", Map.of("index.path", syn2k.toString(), "name", "all-synapses"));
        runner.run();
        onlyFailure("output-exists");

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "ignore");
        runner.setProperty(QuerySpatialIndex.FIELDS, "post_gid");
        runner.enqueue("content", Map.of("index.path", syn2k.toString(), "name", "all-synapses"));
        runner.run();
        onlySuccess().assertAttributeEquals("query.result.path", file.toString());
        assertTrue(Files.readAllLines(file).getFirst().startsWith("{\"edge_id\":"), "kept");

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "replace");
        runner.setProperty(QuerySpatialIndex.FIELDS, "edge_id,post_gid");
        runner.enqueue("content", Map.of("index.path", syn2k.toString(), "name", "all-synapses"));
        runner.run();
        onlySuccess();
        assertTrue(Files.readAllLines(file).getFirst().contains("post_gid"), "replaced");
    }

    @Test
    void missingResultsDirectoryIsCreatedByDefault() {
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, dir.resolve("new/results").toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "0");
        enqueue(syn2k);
        runner.run();
        runner.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 1);
        String path = runner.getFlowFilesForRelationship(QuerySpatialIndex.REL_SUCCESS).getFirst().getAttribute("query.result.path");
        assertTrue(path.startsWith(dir.resolve("new/results").toString()) && Files.isRegularFile(Path.of(path)), path);
    }

    @Test
    void missingResultsDirectoryGoesToFailureWhenNotToBeCreated() {
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, dir.resolve("nowhere").toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "0");
        runner.setProperty(FileProperties.CREATE_DIRECTORIES, "false");
        enqueue(syn2k);
        runner.run();
        assertTrue(onlyFailure("output-unwritable").getAttribute("memmap.error.message").contains("nowhere"));
    }

    @Test
    void aReplacedIndexFileIsReopened() throws IOException {
        Path copy = dir.resolve("copy.nmsidx");
        Files.copy(syn2k, copy);
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, "-1e6,-1e6,-1e6");
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "1e6,1e6,1e6");
        enqueue(copy);
        enqueue(copy);
        runner.run(2, false, true);
        runner.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 2);

        // The same path now holds usecase1's 4-synapse index; the processor keeps running (no restart).
        Path other = Files.createDirectory(dir.resolve("small"));
        Path small = SynapseIndexBuilder.build(new SynapseIndexRequest(null, SonataFixtures.USECASE1_CONFIG, List.of(), List.of(),
                other, 1 << 20, ConflictStrategy.FAIL)).getFirst().indexFile();
        Files.move(small, copy, StandardCopyOption.REPLACE_EXISTING);
        runner.clearTransferState();
        enqueue(copy);
        runner.run(1, true, false);
        onlySuccess().assertAttributeEquals("query.count", "4");
    }

    @Test
    void verifyDataChecksumCatchesCorruptedRecords() throws IOException {
        Path corrupt = dir.resolve("corrupt.nmsidx");
        Files.copy(syn2k, corrupt);
        try (FileChannel ch = FileChannel.open(corrupt, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 1000);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            ch.write(b.flip(), 1000);
        }
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        enqueue(corrupt);
        runner.run();
        onlySuccess();

        runner = TestRunners.newTestRunner(QuerySpatialIndex.class);
        everything();
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT.getValue());
        runner.setProperty(QuerySpatialIndex.VERIFY_CHECKSUM, "true");
        enqueue(corrupt);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("checksum") && message.contains("corrupt.nmsidx"), message);
        assertEquals(1, runner.getCounterValue("Queries failed"));
    }

    @Test
    void fileThatIsNotAnIndexIsAClearError() throws IOException {
        enqueue(Files.writeString(dir.resolve("notes.txt"), "not an index".repeat(100)));
        runner.run();
        assertTrue(onlyFailure("invalid-input").getAttribute("memmap.error.message").contains("notes.txt"));
    }

    @Test
    void missingIndexGoesToFailure() {
        enqueue(dir.resolve("absent.nmsidx"));
        runner.run();
        assertTrue(onlyFailure("input-not-found").getAttribute("memmap.error.message").contains("absent.nmsidx"));
    }

    @Test
    void unknownFieldNamesTheColumnsThereAre() {
        runner.setProperty(QuerySpatialIndex.FIELDS, "edge_id,gid");
        enqueue(syn2k);
        runner.run();
        String message = onlyFailure("invalid-config").getAttribute("memmap.error.message");
        assertTrue(message.contains("'gid'") && message.contains("post_gid"), message);
    }

    @Test
    void badPointFromAnAttributeNamesTheProperty() {
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, "${corner}");
        runner.enqueue("", Map.of("index.path", syn2k.toString(), "corner", "1,2"));
        runner.run();
        String message = onlyFailure("invalid-config").getAttribute("memmap.error.message");
        assertTrue(message.contains("Box Corner") && message.contains("three"), message);
    }

    @Test
    void badRadiusFromAnAttributeNamesTheProperty() {
        runner.setProperty(QuerySpatialIndex.SHAPE, QuerySpatialIndex.SPHERE.getValue());
        runner.setProperty(QuerySpatialIndex.SPHERE_CENTER, "0,0,0");
        runner.setProperty(QuerySpatialIndex.SPHERE_RADIUS, "${r}");
        runner.enqueue("", Map.of("index.path", syn2k.toString(), "r", "wide"));
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("Sphere Radius"));
    }

    @Test
    void boxNeedsBothCornersAndSphereACenterAndRadius() {
        runner.assertValid();
        runner.removeProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER);
        runner.assertNotValid();
        runner.setProperty(QuerySpatialIndex.SHAPE, QuerySpatialIndex.SPHERE.getValue());
        runner.setProperty(QuerySpatialIndex.SPHERE_CENTER, "1,2,3");
        runner.assertNotValid();
        runner.setProperty(QuerySpatialIndex.SPHERE_RADIUS, "5");
        runner.assertValid();
        runner.removeProperty(QuerySpatialIndex.SPHERE_CENTER);
        runner.assertNotValid();
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is invalid")
    @CsvSource(delimiter = '|', value = {
            "Box Corner|1,2", "Box Corner|1,2,3,4", "Box Corner|a,b,c", "Box Opposite Corner|1,,3", "Box Corner|NaN,0,0",
            "Shape|cube", "Accuracy|exact", "Result|sum", "Result Format|xml", "Verify Data Checksum|maybe",
            "Conflict Resolution|overwrite", "Index Path|' '"})
    void validatorsRejectBadValues(String property, String value) {
        runner.setProperty(property, value);
        runner.assertNotValid();
    }

    @ParameterizedTest(name = "sphere {0} = ''{1}'' is invalid")
    @CsvSource(delimiter = '|', value = {"Sphere Center|1 2 3", "Sphere Radius|0", "Sphere Radius|-2", "Sphere Radius|big"})
    void sphereValidatorsRejectBadValues(String property, String value) {
        runner.setProperty(QuerySpatialIndex.SHAPE, QuerySpatialIndex.SPHERE.getValue());
        runner.setProperty(QuerySpatialIndex.SPHERE_CENTER, "0,0,0");
        runner.setProperty(QuerySpatialIndex.SPHERE_RADIUS, "1");
        runner.assertValid();
        runner.setProperty(property, value);
        runner.assertNotValid();
    }

    @Test
    void contentElementLimitIsValidatedWithAResultsDirectory() {
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, dir.toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "-1");
        runner.assertNotValid();
    }

    @Test
    void engineAndProcessorAgreeOnCountByPostGidForASphere() {
        double cx = bounds.minX(), cy = bounds.minY(), cz = bounds.minZ();
        double radius = (bounds.maxX() - bounds.minX()) * 0.7;
        runner.setProperty(QuerySpatialIndex.SHAPE, QuerySpatialIndex.SPHERE.getValue());
        runner.setProperty(QuerySpatialIndex.SPHERE_CENTER, cx + "," + cy + "," + cz);
        runner.setProperty(QuerySpatialIndex.SPHERE_RADIUS, Double.toString(radius));
        runner.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        enqueue(syn2k);
        runner.run();
        Map<String, String> got = csvGroups(onlySuccess().getContent());
        Map<String, String> want = new HashMap<>();
        try (SpatialIndex index = SpatialIndex.open(syn2k, false)) {
            SortedMap<Long, Long> groups = index.countByPostGid(Query.sphere(cx, cy, cz, radius, Accuracy.BEST_EFFORT));
            groups.forEach((k, v) -> want.put(Long.toString(k), Long.toString(v)));
        }
        assertTrue(!want.isEmpty() && want.size() < 47, "the sphere takes some cells: " + want.size());
        assertEquals(want, got);
    }
}
