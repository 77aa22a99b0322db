package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nifimemmap.index.FieldType;
import org.nifimemmap.index.SpatialIndex;

class BuildSynapseIndexTest {
    @TempDir
    Path dir;
    Path out;
    TestRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        out = Files.createDirectory(dir.resolve("indexes"));
        runner = TestRunners.newTestRunner(BuildSynapseIndex.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
    }

    private void enqueue(Path file) {
        runner.enqueue("content stays", Map.of("absolute.path", file.getParent().toString(), "filename", file.getFileName().toString()));
    }

    private List<MockFlowFile> successes() {
        return runner.getFlowFilesForRelationship(BuildSynapseIndex.REL_SUCCESS);
    }

    private MockFlowFile onlyFailure(String type) {
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_FAILURE, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(BuildSynapseIndex.REL_FAILURE).getFirst();
        f.assertAttributeEquals("memmap.error.type", type);
        assertTrue(runner.getPenalizedFlowFiles().contains(f), "failed FlowFile is penalized");
        return f;
    }

    private List<String> entriesIn(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void indexesSyn2kWithAttributesProvenanceAndCounters() throws IOException {
        byte[] before = Files.readAllBytes(SonataFixtures.SYN_2K);
        enqueue(SonataFixtures.SYN_2K);
        runner.run();

        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        MockFlowFile f = successes().getFirst();
        Path directory = out.resolve(SonataFixtures.SYN_2K_POPULATION);
        Path indexFile = directory.resolve("index.nmsidx");
        f.assertAttributeEquals("index.path", indexFile.toString());
        f.assertAttributeEquals("index.directory", directory.toString());
        f.assertAttributeEquals("index.manifest", directory.resolve("manifest.json").toString());
        f.assertAttributeEquals("index.population", SonataFixtures.SYN_2K_POPULATION);
        f.assertAttributeEquals("index.source", SonataFixtures.SYN_2K.toString());
        f.assertAttributeEquals("index.elements", "1931");
        f.assertAttributeEquals("index.outcome", "created");
        f.assertAttributeNotExists("fragment.count");
        f.assertContentEquals("content stays");
        try (SpatialIndex index = SpatialIndex.open(indexFile, true)) {
            assertEquals(1931, index.count());
            var b = index.bounds();
            f.assertAttributeEquals("index.bounds.min", b.minX() + "," + b.minY() + "," + b.minZ());
            f.assertAttributeEquals("index.bounds.max", b.maxX() + "," + b.maxY() + "," + b.maxZ());
            f.assertAttributeEquals("index.bounds", f.getAttribute("index.bounds.min") + "," + f.getAttribute("index.bounds.max"));
            assertEquals(List.of("x", "y", "z", "edge_id", "pre_gid", "post_gid"),
                    index.layout().fields().stream().map(field -> field.name()).toList(), "no extra attributes unless asked");
        }
        assertEquals(List.of("index.nmsidx", "manifest.json"), entriesIn(directory));
        assertEquals(List.of(SonataFixtures.SYN_2K_POPULATION), entriesIn(out), "no temporaries left");
        assertArrayEquals(before, Files.readAllBytes(SonataFixtures.SYN_2K), "input untouched");

        List<ProvenanceEventRecord> events = runner.getProvenanceEvents();
        assertEquals(1, events.size());
        assertEquals(ProvenanceEventType.SEND, events.getFirst().getEventType());
        assertEquals(directory.toUri().toString(), events.getFirst().getTransitUri());
        assertEquals(1, runner.getCounterValue("Populations indexed"));
        assertEquals(1931, runner.getCounterValue("Synapses indexed"));
    }

    @Test
    void extraAttributesAreStoredWithTheirHdf5Type() throws IOException {
        runner.setProperty(BuildSynapseIndex.EXTRA_ATTRIBUTES, "afferent_section_id, syn_type_id,conductance");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        try (SpatialIndex index = SpatialIndex.open(Path.of(successes().getFirst().getAttribute("index.path")), true)) {
            assertEquals(FieldType.I16, index.field("afferent_section_id").type());
            assertEquals(FieldType.I16, index.field("syn_type_id").type());
            assertEquals(FieldType.F64, index.field("conductance").type());
        }
        JsonNode manifest = new ObjectMapper().readTree(Path.of(successes().getFirst().getAttribute("index.manifest")).toFile());
        assertTrue(manifest.get("columns").toString().contains("afferent_section_id"));
    }

    @Test
    void unknownExtraAttributeGoesToFailure() {
        runner.setProperty(BuildSynapseIndex.EXTRA_ATTRIBUTES, "no_such_attribute");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("no_such_attribute"), message);
    }

    @Test
    void circuitConfigWithRelativePaths() throws IOException {
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        runner.setProperty(BuildSynapseIndex.EXTRA_ATTRIBUTES, "afferent_section_id");
        enqueue(SonataFixtures.USECASE1_CONFIG);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        MockFlowFile f = successes().getFirst();
        f.assertAttributeEquals("index.population", "nodeA__nodeA__chemical");
        f.assertAttributeEquals("index.elements", "4");
        f.assertAttributeEquals("index.source", SonataFixtures.USECASE1_CONFIG.toString());
        try (SpatialIndex index = SpatialIndex.open(Path.of(f.getAttribute("index.path")), true)) {
            assertEquals(FieldType.U32, index.field("afferent_section_id").type());
        }
        JsonNode manifest = new ObjectMapper().readTree(Path.of(f.getAttribute("index.manifest")).toFile());
        assertEquals(SonataFixtures.USECASE1_CONFIG.resolveSibling("edges.h5").toString(), manifest.get("source").get("edges_file").asText(),
                "edges_file resolved against the config's directory");
    }

    @Test
    void everyChemicalPopulationOfAConfigGivesOneFlowFileEach() {
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        enqueue(SonataFixtures.SNAP_CONFIG);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 2);
        List<MockFlowFile> flowFiles = successes();
        assertEquals(Set.of("default", "default2"), flowFiles.stream().map(f -> f.getAttribute("index.population")).collect(Collectors.toSet()));
        assertEquals(1, flowFiles.stream().map(f -> f.getAttribute("fragment.identifier")).distinct().count());
        assertEquals(Set.of("0", "1"), flowFiles.stream().map(f -> f.getAttribute("fragment.index")).collect(Collectors.toSet()));
        for (MockFlowFile f : flowFiles) {
            f.assertAttributeEquals("fragment.count", "2");
            f.assertAttributeEquals("index.elements", "4");
            f.assertAttributeEquals("index.directory", out.resolve(f.getAttribute("index.population")).toString());
            f.assertContentEquals("content stays");
            assertTrue(Files.isRegularFile(Path.of(f.getAttribute("index.path"))));
        }
        assertEquals(2, runner.getCounterValue("Populations indexed"));
        assertEquals(8, runner.getCounterValue("Synapses indexed"));
    }

    @Test
    void onlyChemicalPopulationsOfAConfigAreIndexedUnlessNamed() throws IOException {
        Path config = Files.writeString(dir.resolve("circuit_config.json"), """
                {"manifest": {"$CIRCUIT": "%s"},
                 "networks": {"edges": [{"edges_file": "$CIRCUIT/edges.h5",
                   "populations": {"default": {}, "default2": {"type": "electrical"}}}]}}
                """.formatted(SonataFixtures.SNAP_EDGES.getParent()));
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        enqueue(config);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        successes().getFirst().assertAttributeEquals("index.population", "default");
        assertFalse(Files.exists(out.resolve("default2")));

        runner.clearTransferState();
        runner.setProperty(BuildSynapseIndex.POPULATION, "default2");
        enqueue(config);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        successes().getFirst().assertAttributeEquals("index.population", "default2");
    }

    @Test
    void configWithoutChemicalPopulationsIsAClearError() throws IOException {
        Path config = Files.writeString(dir.resolve("gap_junctions.json"), """
                {"networks": {"edges": [{"edges_file": "%s", "populations": {"default": {"type": "electrical"}}}]}}
                """.formatted(SonataFixtures.SNAP_EDGES));
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        enqueue(config);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("no chemical edge population") && message.contains("default (electrical)"), message);
    }

    @Test
    void badCircuitConfigIsAClearError() throws IOException {
        Path config = Files.writeString(dir.resolve("broken.json"), "{\"networks\": {\"edges\": [\n  {\"edges_file\": }]}}");
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        enqueue(config);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("broken.json") && message.contains("line 2"), message);
    }

    @Test
    void everyPopulationOfAnEdgesFileByDefault() {
        runner.setProperty(BuildSynapseIndex.POPULATION, " , "); // blank, as an empty parameter gives: every population
        enqueue(SonataFixtures.SNAP_EDGES);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 2);
        assertEquals(Set.of("default", "default2"), successes().stream().map(f -> f.getAttribute("index.population")).collect(Collectors.toSet()));
    }

    @Test
    void namedPopulationsAreIndexedAndAMissingOneFailsAlone() {
        runner.setProperty(BuildSynapseIndex.POPULATION, "${wanted}");
        runner.enqueue("", Map.of("absolute.path", SonataFixtures.SNAP_EDGES.getParent().toString(), "filename", "edges.h5",
                "wanted", "default2, nope"));
        runner.run();
        runner.assertTransferCount(BuildSynapseIndex.REL_SUCCESS, 1);
        runner.assertTransferCount(BuildSynapseIndex.REL_FAILURE, 1);
        MockFlowFile ok = successes().getFirst();
        ok.assertAttributeEquals("index.population", "default2");
        ok.assertAttributeEquals("fragment.index", "0");
        MockFlowFile failed = runner.getFlowFilesForRelationship(BuildSynapseIndex.REL_FAILURE).getFirst();
        failed.assertAttributeEquals("index.population", "nope");
        failed.assertAttributeEquals("fragment.index", "1");
        failed.assertAttributeEquals("memmap.error.type", "invalid-config");
        String message = failed.getAttribute("memmap.error.message");
        assertTrue(message.contains("'nope'") && message.contains("default2"), "names the populations there are: " + message);
        assertFalse(Files.exists(out.resolve("default")));
        assertEquals(1, runner.getCounterValue("Index builds failed"));
    }

    @Test
    void generatedInt64AndUint64IdsKeepTheirValuesThroughBothProcessors() throws Exception {
        for (String dtype : List.of("int64", "uint64")) {
            Path edges = dir.resolve(dtype + ".h5");
            JsonNode numpy = SonataFixtures.generateEdges(edges, 5000, dtype, "float64");
            Path target = Files.createDirectory(dir.resolve("idx-" + dtype));
            runner.clearTransferState();
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, target.toString());
            runner.setProperty(BuildSynapseIndex.EXTRA_ATTRIBUTES, "afferent_section_id");
            enqueue(edges);
            runner.run();
            runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
            MockFlowFile f = successes().getFirst();
            f.assertAttributeEquals("index.population", "generated");
            f.assertAttributeEquals("index.elements", "5000");
            try (SpatialIndex index = SpatialIndex.open(Path.of(f.getAttribute("index.path")), true)) {
                assertEquals(dtype.equals("uint64") ? FieldType.U64 : FieldType.U32, index.field("pre_gid").type(), dtype);
            }

            // numpy's answer for the box [100,300]^3; uint64 ids are shifted by 2^33, so they need 64 bits.
            TestRunner query = TestRunners.newTestRunner(QuerySpatialIndex.class);
            query.setProperty(QuerySpatialIndex.BOX_CORNER, "300,300,300");
            query.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "100,100,100");
            query.enqueue(f);
            query.enqueue(f);
            query.setProperty(QuerySpatialIndex.FIELDS, "edge_id,pre_gid,afferent_section_id");
            query.run(1);
            query.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
            query.run(1);
            query.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 2);
            List<MockFlowFile> results = query.getFlowFilesForRelationship(QuerySpatialIndex.REL_SUCCESS);

            Map<String, String> rows = new HashMap<>();
            results.get(0).getContent().lines().skip(1).forEach(l -> rows.put(l.split(",")[0], l.substring(l.indexOf(',') + 1)));
            Map<String, String> wantRows = new HashMap<>();
            for (int i = 0; i < numpy.get("rows").size(); i++) {
                wantRows.put(numpy.get("rows").get(i).asText(), numpy.get("pre").get(i).asText() + "," + numpy.get("sections").get(i).asText());
            }
            assertEquals(wantRows, rows, dtype);

            Map<String, String> byPost = new HashMap<>();
            results.get(1).getContent().lines().skip(1).forEach(l -> byPost.put(l.split(",")[0], l.split(",")[1]));
            Map<String, String> wantByPost = new HashMap<>();
            numpy.get("by_post").fields().forEachRemaining(e -> wantByPost.put(e.getKey(), e.getValue().asText()));
            assertEquals(wantByPost, byPost, dtype);
        }
    }

    @Test
    void nanPositionNamesTheEdgeRowAndWritesNothing() throws Exception {
        Path edges = dir.resolve("nan.h5");
        SonataFixtures.generateEdges(edges, 3000, "int64", "float32", "--nan-row", "2345");
        enqueue(edges);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("edge row 2345") && message.contains("nan.h5"), message);
        assertEquals(List.of(), entriesIn(out), "no partial index and no temporaries");
    }

    @Test
    void mismatchedDatasetLengthsAreAClearError() throws Exception {
        Path edges = dir.resolve("short.h5");
        SonataFixtures.generateEdges(edges, 100, "int64", "float32", "--short-target");
        enqueue(edges);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("target_node_id has 99 rows"), message);
    }

    @Test
    void edgesWithoutPositionsAreAClearError() {
        enqueue(SonataFixtures.LIBSONATA_EDGES);
        runner.setProperty(BuildSynapseIndex.POPULATION, "edges-AB");
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("afferent_center_x"), message);
    }

    @Test
    void fileThatIsNotHdf5IsInvalidInput() throws IOException {
        enqueue(Files.writeString(dir.resolve("edges.h5"), "not hdf5 at all".repeat(100)));
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("edges.h5"), message);
    }

    @Test
    void missingEdgesFileGoesToFailure() {
        enqueue(dir.resolve("absent.h5"));
        runner.run();
        assertTrue(onlyFailure("input-not-found").getAttribute("memmap.error.message").contains("absent.h5"));
        assertEquals(1, runner.getCounterValue("Index builds failed"));
    }

    @Test
    void memoryMapSizeTooSmallSaysWhatIsNeeded() throws IOException {
        runner.setProperty(BuildSynapseIndex.MEMORY_MAP_SIZE, "10 KB");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        String message = onlyFailure("invalid-config").getAttribute("memmap.error.message");
        assertTrue(message.contains("1,931 elements needs at least"), message);
        assertEquals(List.of(), entriesIn(out));
    }

    @Test
    void conflictStrategies() throws IOException {
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        Path indexFile = Path.of(successes().getFirst().getAttribute("index.path"));
        Object firstKey = Files.readAttributes(indexFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        runner.clearTransferState();
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        onlyFailure("output-exists");

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "ignore");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        MockFlowFile kept = successes().getFirst();
        kept.assertAttributeEquals("index.outcome", "ignored");
        kept.assertAttributeEquals("index.elements", "1931");
        kept.assertAttributeExists("index.bounds.min");
        assertEquals(1, runner.getCounterValue("Outputs kept (already existed)"));

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "replace");
        runner.setProperty(BuildSynapseIndex.EXTRA_ATTRIBUTES, "afferent_section_id");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        successes().getFirst().assertAttributeEquals("index.outcome", "replaced");
        assertNotEquals(firstKey, Files.readAttributes(indexFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
        try (SpatialIndex index = SpatialIndex.open(indexFile, true)) {
            index.field("afferent_section_id");
        }
        assertEquals(List.of(SonataFixtures.SYN_2K_POPULATION), entriesIn(out), "old index and temporaries are gone");
    }

    @Test
    void ignoringAnExistingDirectoryThatIsNoIndexFails() throws IOException {
        Files.createDirectory(out.resolve(SonataFixtures.SYN_2K_POPULATION));
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "ignore");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        String message = onlyFailure("input-not-found").getAttribute("memmap.error.message");
        assertTrue(message.contains("Conflict Resolution ignore"), message);
    }

    @Test
    void missingOutputDirectoryIsCreatedByDefault() {
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("new/indexes").toString());
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        runner.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 1);
        assertTrue(Files.isRegularFile(Path.of(successes().getFirst().getAttribute("index.path"))));
    }

    @Test
    void missingOutputDirectoryGoesToFailureWhenNotToBeCreated() {
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("nowhere").toString());
        runner.setProperty(FileProperties.CREATE_DIRECTORIES, "false");
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        assertTrue(onlyFailure("output-unwritable").getAttribute("memmap.error.message").contains("nowhere"));
    }

    @Test
    void emptyEvaluatedPathIsAConfigurationError() {
        runner.setProperty(BuildSynapseIndex.EDGES_FILE, "${edges.path}");
        runner.enqueue("");
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("Edges File"));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is invalid")
    @CsvSource(delimiter = '|', value = {
            "Memory Map Size|lots", "Memory Map Size|-1 MB", "Source|nodes-file", "Conflict Resolution|overwrite",
            "Edges File|' '", "Output Directory|' '"})
    void validatorsRejectBadValues(String property, String value) {
        runner.setProperty(property, value);
        runner.assertNotValid();
    }

    @Test
    void circuitConfigPathIsValidatedOnlyForThatSource() {
        runner.setProperty(BuildSynapseIndex.CIRCUIT_CONFIG, " ");
        runner.assertValid();
        runner.setProperty(BuildSynapseIndex.SOURCE, BuildSynapseIndex.SOURCE_CONFIG.getValue());
        runner.assertNotValid();
    }

    @Test
    void outputDirectoryIsRequired() {
        runner.removeProperty(FileProperties.OUTPUT_DIRECTORY);
        runner.assertNotValid();
    }

    /** The numpy example of additionalDetails.md, run on an index this processor wrote. */
    @Test
    void documentedNumpyExampleReadsTheIndex() throws Exception {
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        String doc = Files.readString(Path.of("src/main/resources/docs/org.nifimemmap.processors.BuildSynapseIndex/additionalDetails.md"));
        int start = doc.indexOf("```python\n") + "```python\n".length();
        String example = doc.substring(start, doc.indexOf("```", start))
                .replace("/data/indexes/neocortex_neurons__chemical_synapse", successes().getFirst().getAttribute("index.directory"));
        Path script = Files.writeString(dir.resolve("example.py"), example + """
                g, c = np.unique(syn["post_gid"], return_counts=True)
                counts = dict(zip(g.tolist(), c.tolist()))
                print(len(syn), len(g), counts[4], counts[8], counts[10])
                """);
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString()).start();
        String stdout = new String(p.getInputStream().readAllBytes()).trim();
        String stderr = new String(p.getErrorStream().readAllBytes());
        assertEquals(0, p.waitFor(), stderr);
        assertEquals("1931 47 30 14 21", stdout);
    }

    @Test
    void indexFeedsQuerySpatialIndex() {
        enqueue(SonataFixtures.SYN_2K);
        runner.run();
        MockFlowFile built = successes().getFirst();
        TestRunner query = TestRunners.newTestRunner(QuerySpatialIndex.class);
        query.setProperty(QuerySpatialIndex.BOX_CORNER, "${index.bounds.min}");
        query.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "${index.bounds.max}");
        query.setProperty(QuerySpatialIndex.RESULT, QuerySpatialIndex.COUNT_BY_POST_GID.getValue());
        query.enqueue(built);
        query.run();
        query.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 1);
        MockFlowFile result = query.getFlowFilesForRelationship(QuerySpatialIndex.REL_SUCCESS).getFirst();
        result.assertAttributeEquals("query.count", "1931");
        result.assertAttributeEquals("query.groups", "47");
        Map<String, String> byPost = new HashMap<>();
        result.getContent().lines().skip(1).forEach(l -> byPost.put(l.split(",")[0], l.split(",")[1]));
        assertEquals(47, byPost.size());
        assertEquals("30", byPost.get("4"));
        assertEquals("14", byPost.get("8"));
        assertEquals("21", byPost.get("10"));
    }
}
