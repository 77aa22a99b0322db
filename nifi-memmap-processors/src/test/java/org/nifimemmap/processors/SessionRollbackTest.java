package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NiFi rolls a session back after the output was written (the commit failed): no orphaned output, and the retry works. */
class SessionRollbackTest {
    @TempDir
    Path dir;

    /** A session that behaves as NiFi's when its commit fails: it rolls back and calls the failure callback. */
    @SuppressWarnings("unchecked")
    private static ProcessSession failingToCommit(ProcessSession real) {
        return (ProcessSession) Proxy.newProxyInstance(ProcessSession.class.getClassLoader(), new Class<?>[]{ProcessSession.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("commitAsync") && args != null && args.length == 2) {
                        real.rollback();
                        ((Consumer<Throwable>) args[1]).accept(new ProcessException("simulated commit failure"));
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private long entries(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.count();
        }
    }

    private void assertRolledBackThenRetried(TestRunner runner, Path out, Map<String, String> attributes, String expectedOutput)
            throws IOException {
        runner.run(1, false, true); // @OnScheduled, nothing queued yet
        runner.enqueue("", attributes);
        ((AbstractProcessor) runner.getProcessor()).onTrigger(runner.getProcessContext(), failingToCommit(runner.getProcessSessionFactory().createSession()));
        assertEquals(0, entries(out), "the output written before the failed commit is removed");
        assertEquals(1, runner.getQueueSize().getObjectCount(), "the FlowFile is back in the queue");

        runner.run(1, true, false);
        runner.assertAllFlowFilesTransferred("success", 1);
        assertTrue(Files.exists(out.resolve(expectedOutput)), "the retry writes the output");
    }

    private Path recording() throws IOException {
        return Files.write(dir.resolve("rec.dat"), ByteBuffer.allocate(4 * 2 * 5000).array());
    }

    @Test
    void convertEegToZarr() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = recording();
        TestRunner runner = TestRunners.newTestRunner(ConvertEegToZarr.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        assertRolledBackThenRetried(runner, out, Map.of("absolute.path", dir.toString(), "filename", "rec.dat"), "rec.zarr");
        assertTrue(Files.exists(input));
    }

    @Test
    void restrictByIntervalsRawOutputAndSidecar() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path input = recording();
        TestRunner runner = TestRunners.newTestRunner(RestrictByIntervals.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
        runner.setProperty(RestrictByIntervals.INPUT_RECORDING, input.toString());
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        runner.setProperty(RestrictByIntervals.INTERVALS, "1-2");
        runner.setProperty(RestrictByIntervals.OUTPUT_FORMAT, "raw");
        assertRolledBackThenRetried(runner, out, Map.of(), "rec-restricted.dat");
        assertTrue(Files.exists(out.resolve("rec-restricted.dat.json")));
    }

    @Test
    void buildSynapseIndex() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        TestRunner runner = TestRunners.newTestRunner(BuildSynapseIndex.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
        assertRolledBackThenRetried(runner, out, Map.of("absolute.path", SonataFixtures.SYN_2K.getParent().toString(),
                "filename", SonataFixtures.SYN_2K.getFileName().toString()), SonataFixtures.SYN_2K_POPULATION);
    }

    @Test
    void querySpatialIndexResultsFile() throws IOException {
        Path indexes = Files.createDirectory(dir.resolve("indexes"));
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, indexes.toString());
        build.setProperty(BuildSynapseIndex.EDGES_FILE, SonataFixtures.SYN_2K.toString());
        build.enqueue("");
        build.run();
        String index = build.getFlowFilesForRelationship("success").getFirst().getAttribute("index.path");

        Path out = Files.createDirectory(dir.resolve("results"));
        TestRunner runner = TestRunners.newTestRunner(QuerySpatialIndex.class);
        runner.setProperty(QuerySpatialIndex.INDEX_PATH, index);
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, "-1e9,-1e9,-1e9");
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, "1e9,1e9,1e9");
        runner.setProperty(QuerySpatialIndex.RESULTS_DIRECTORY, out.toString());
        runner.setProperty(QuerySpatialIndex.CONTENT_ELEMENT_LIMIT, "10");
        runner.setProperty(QuerySpatialIndex.RESULTS_FILE_NAME, "all.csv");
        assertRolledBackThenRetried(runner, out, Map.of(), "all.csv");
    }

    @Test
    void buildSegmentIndex() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        TestRunner runner = TestRunners.newTestRunner(BuildSegmentIndex.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
        Path config = SonataFixtures.ROOT.resolve("usecases/usecase1/circuit_sonata.json");
        assertRolledBackThenRetried(runner, out, Map.of("absolute.path", config.getParent().toString(),
                "filename", config.getFileName().toString()), "nodeA");
    }
}
