package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file system fills up while an output is written (a size-capped tmpfs, mounted by the test as root):
 * the FlowFile goes to failure, no partial output or temporary is left, and the input is untouched.
 * ConvertEegToZarrTest covers ConvertEegToZarr the same way.
 */
class DiskFullTest {
    @TempDir
    Path dir;

    private static MockFlowFile onlyFailure(TestRunner runner) {
        runner.assertAllFlowFilesTransferred("failure", 1);
        MockFlowFile f = runner.getFlowFilesForRelationship("failure").getFirst();
        f.assertAttributeEquals("memmap.error.type", "output-unwritable");
        assertTrue(f.getAttribute("memmap.error.message").contains("no space left"), f.getAttribute("memmap.error.message"));
        return f;
    }

    private static void assertEmpty(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            assertEquals(List.of(), s.toList(), "no partial output and no temporary left on the full file system");
        }
    }

    @Test
    void restrictByIntervals() throws Exception {
        byte[] noise = new byte[8 << 20];
        new Random(2).nextBytes(noise);
        Path input = Files.write(dir.resolve("rec.dat"), noise);
        Path small = Files.createDirectory(dir.resolve("tiny-fs"));
        try (SmallFileSystem fs = SmallFileSystem.mount(small, "1m")) {
            TestRunner runner = TestRunners.newTestRunner(RestrictByIntervals.class);
            runner.setProperty(RestrictByIntervals.INPUT_RECORDING, input.toString());
            runner.setProperty(RecordingProperties.CHANNELS, "8");
            runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
            runner.setProperty(RestrictByIntervals.INTERVALS, "0-1000");
            runner.setProperty(RestrictByIntervals.COMPRESSION, "none");
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, small.toString());
            runner.enqueue("");
            runner.run();
            onlyFailure(runner);
            assertEmpty(small);
        }
        assertArrayEquals(noise, Files.readAllBytes(input));
    }

    @Test
    void buildSynapseIndexWhoseMappedScratchCannotGrow() throws Exception {
        Path small = Files.createDirectory(dir.resolve("tiny-fs"));
        try (SmallFileSystem fs = SmallFileSystem.mount(small, "16k")) {
            TestRunner runner = TestRunners.newTestRunner(BuildSynapseIndex.class);
            runner.setProperty(BuildSynapseIndex.EDGES_FILE, SonataFixtures.SYN_2K.toString());
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, small.toString());
            runner.enqueue("");
            runner.run();
            onlyFailure(runner);
            assertEmpty(small);
        }
    }

    @Test
    void querySpatialIndexResultsFile() throws Exception {
        Path indexes = Files.createDirectory(dir.resolve("indexes"));
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(BuildSynapseIndex.EDGES_FILE, SonataFixtures.SYN_2K.toString());
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, indexes.toString());
        build.enqueue("");
        build.run();
        String index = build.getFlowFilesForRelationship("success").getFirst().getAttribute("index.path");
        Path small = Files.createDirectory(dir.resolve("tiny-fs"));
        try (SmallFileSystem fs = SmallFileSystem.mount(small, "16k")) {
            TestRunner runner = TestRunners.newTestRunner(QuerySpatialIndex.class);
            runner.setProperty(QuerySpatialIndex.INDEX_PATH, index);
            runner.setProperty(QuerySpatialIndex.BOX_CORNER, "-1e9,-1e9,-1e9");
            runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "1e9,1e9,1e9");
            runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, small.toString());
            runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "10");
            runner.enqueue("", Map.of());
            runner.run();
            onlyFailure(runner);
            assertEmpty(small);
        }
    }

    @Test
    void buildSegmentIndex() throws Exception {
        Path small = Files.createDirectory(dir.resolve("tiny-fs"));
        try (SmallFileSystem fs = SmallFileSystem.mount(small, "256k")) {
            TestRunner runner = TestRunners.newTestRunner(BuildSegmentIndex.class);
            runner.setProperty(BuildSegmentIndex.SOURCE, "nodes-file");
            runner.setProperty(BuildSegmentIndex.NODES_FILE, SonataFixtures.ROOT.resolve("circuit-10/nodes.h5").toString());
            runner.setProperty(BuildSegmentIndex.MORPHOLOGY_DIRECTORY, SonataFixtures.ROOT.resolve("circuit-10/morphologies/ascii").toString());
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, small.toString());
            runner.enqueue("");
            runner.run();
            onlyFailure(runner);
            assertEmpty(small);
        }
    }
}
