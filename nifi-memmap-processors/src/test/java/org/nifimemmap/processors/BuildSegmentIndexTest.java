package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildSegmentIndexTest {
    private static final Path CIRCUIT10 = SonataFixtures.ROOT.resolve("circuit-10");
    private static final Path USECASE1 = SonataFixtures.ROOT.resolve("usecases/usecase1/circuit_sonata.json");
    private static final Path SNAP = SonataFixtures.ROOT.resolve("snap/circuit_config.json");
    @TempDir
    Path out;
    TestRunner runner;

    @BeforeEach
    void setUp() {
        runner = TestRunners.newTestRunner(BuildSegmentIndex.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
    }

    private void nodesFileMode() {
        runner.setProperty(BuildSegmentIndex.SOURCE, "nodes-file");
        runner.setProperty(BuildSegmentIndex.NODES_FILE, CIRCUIT10.resolve("nodes.h5").toString());
        runner.setProperty(BuildSegmentIndex.MORPHOLOGY_DIRECTORY, CIRCUIT10.resolve("morphologies/ascii").toString());
    }

    private MockFlowFile onlySuccess() {
        runner.assertAllFlowFilesTransferred(BuildSegmentIndex.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(BuildSegmentIndex.REL_SUCCESS).getFirst();
    }

    private MockFlowFile onlyFailure(String type) {
        runner.assertAllFlowFilesTransferred(BuildSegmentIndex.REL_FAILURE, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(BuildSegmentIndex.REL_FAILURE).getFirst();
        f.assertAttributeEquals("memmap.error.type", type);
        return f;
    }

    private long count(String indexPath) {
        TestRunner query = TestRunners.newTestRunner(QuerySpatialIndex.class);
        query.setProperty(QuerySpatialIndex.INDEX_PATH, indexPath);
        query.setProperty(QuerySpatialIndex.BOX_CORNER, "-1e9,-1e9,-1e9");
        query.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "1e9,1e9,1e9");
        query.setProperty(QuerySpatialIndex.RESULT, "count");
        query.enqueue("");
        query.run();
        return Long.parseLong(query.getFlowFilesForRelationship("success").getFirst().getAttribute("query.count"));
    }

    @Test
    void circuit10FromNodesFileAndMorphologyDirectory() {
        nodesFileMode();
        runner.enqueue("");
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertAttributeEquals("index.elements", "21990"); // upstream SpatialIndex: 2,199 per cell
        f.assertAttributeEquals("index.nodes", "10");
        f.assertAttributeEquals("index.skipped.count", "0");
        f.assertAttributeEquals("index.outcome", "created");
        assertEquals(21_990, count(f.getAttribute("index.path")), "QuerySpatialIndex reads the segment index");
        assertEquals(ProvenanceEventType.SEND, runner.getProvenanceEvents().getFirst().getEventType());
        assertEquals(21_990, runner.getCounterValue("Elements indexed"));
    }

    @Test
    void nodeIdSubsetForBuildingInParts() {
        nodesFileMode();
        runner.setProperty(BuildSegmentIndex.NODE_IDS, "0-4");
        runner.enqueue("");
        runner.run();
        onlySuccess().assertAttributeEquals("index.elements", Integer.toString(5 * 2199));
    }

    @Test
    void usecase1FromCircuitConfigInSwcAndAlternateAsc() {
        runner.setProperty(BuildSegmentIndex.CIRCUIT_CONFIG, "${absolute.path}/${filename}");
        runner.enqueue("", Map.of("absolute.path", USECASE1.getParent().toString(), "filename", USECASE1.getFileName().toString()));
        runner.run();
        onlySuccess().assertAttributeEquals("index.elements", "13632");

        Path asc = out.resolve("asc");
        runner.clearTransferState();
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, asc.toString());
        runner.setProperty(BuildSegmentIndex.MORPHOLOGY_FORMAT, "neurolucida-asc");
        try {
            Files.createDirectory(asc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        runner.enqueue("", Map.of("absolute.path", USECASE1.getParent().toString(), "filename", USECASE1.getFileName().toString()));
        runner.run();
        onlySuccess().assertAttributeEquals("index.elements", "13632");
    }

    @Test
    void emptyMorphologyFilesFailNamingNodeAndFileOrAreSkipped() throws IOException {
        runner.setProperty(BuildSegmentIndex.CIRCUIT_CONFIG, SNAP.toString());
        runner.setProperty(BuildSegmentIndex.POPULATIONS, "default");
        runner.setProperty(BuildSegmentIndex.MORPHOLOGY_FORMAT, "swc");
        runner.enqueue("");
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("node 1") && message.contains("morph-B.swc"), message);
        try (Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.toList());
        }

        runner.clearTransferState();
        runner.setProperty(BuildSegmentIndex.SKIP_UNREADABLE, "true");
        runner.enqueue("");
        runner.run();
        MockFlowFile f = onlySuccess();
        f.assertAttributeEquals("index.skipped.count", "2");
        f.assertAttributeEquals("index.skipped.nodes", "1-2");
        f.assertAttributeEquals("index.nodes", "1");
    }

    @Test
    void unknownPopulationIsAConfigurationError() {
        runner.setProperty(BuildSegmentIndex.CIRCUIT_CONFIG, USECASE1.toString());
        runner.setProperty(BuildSegmentIndex.POPULATIONS, "cortex");
        runner.enqueue("");
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("cortex"));
    }

    @Test
    void missingNodesFileIsAClearError() {
        nodesFileMode();
        runner.setProperty(BuildSegmentIndex.NODES_FILE, out.resolve("absent.h5").toString());
        runner.enqueue("");
        runner.run();
        assertTrue(onlyFailure("input-not-found").getAttribute("memmap.error.message").contains("absent.h5"));
    }

    @Test
    void memoryMapCapTooSmallSaysWhatIsNeeded() {
        nodesFileMode();
        runner.setProperty(BuildSegmentIndex.MEMORY_MAP_SIZE, "1 MB");
        runner.enqueue("");
        runner.run();
        String message = onlyFailure("invalid-config").getAttribute("memmap.error.message");
        assertTrue(message.contains("bytes"), message);
    }

    @Test
    void validation() {
        runner.assertValid();
        runner.setProperty(BuildSegmentIndex.NODE_IDS, "0-x");
        runner.assertNotValid();
        runner.setProperty(BuildSegmentIndex.NODE_IDS, "${ids}");
        runner.assertValid();
        runner.setProperty(BuildSegmentIndex.SOURCE, "nodes-file");
        runner.assertNotValid(); // Morphology Directory is required for a nodes file
        runner.setProperty(BuildSegmentIndex.MORPHOLOGY_DIRECTORY, "/data/morphologies");
        runner.assertValid();
        runner.setProperty(BuildSegmentIndex.MORPHOLOGY_FORMAT, "obj");
        runner.assertNotValid();
    }
}
