package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

/** Two FlowFiles write the same output at the same time: exactly one wins where it must, the output is always whole. */
class ConcurrentWritersTest {
    @TempDir
    Path dir;

    private Path recording() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 << 20);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < b.capacity(); i += 2) {
            b.putShort(i, (short) random.nextInt(512));
        }
        return Files.write(dir.resolve("rec.dat"), b.array());
    }

    private static void assertWhole(Path zarr) {
        ZarrArray traces = ZarrGroup.open(zarr).array("traces_seg0");
        assertEquals((16 << 20) / 2 / 8, traces.metadata().shape()[0]);
        byte[] chunk = new byte[traces.metadata().chunkBytes()];
        ZarrArray.ChunkReader reader = traces.chunkReader();
        for (long c = 0; c < traces.metadata().chunkGrid()[0]; c++) {
            assertTrue(reader.read(new long[]{c, 0}, chunk), "chunk " + c + " present");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"fail", "replace", "ignore"})
    void twoWritersOfOneOutput(String strategy) throws IOException {
        Path input = recording();
        for (int round = 0; round < 4; round++) {
            Path out = Files.createDirectory(dir.resolve(strategy + round));
            TestRunner runner = TestRunners.newTestRunner(ConvertEegToZarr.class);
            runner.setThreadCount(2);
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
            runner.setProperty(FileProperties.CONFLICT_RESOLUTION, strategy);
            runner.setProperty(RecordingProperties.CHANNELS, "8");
            runner.setProperty(RecordingProperties.SAMPLING_RATE, "20000");
            runner.setProperty(RecordingProperties.THREADS, "1");
            runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "8192");
            Map<String, String> attributes = Map.of("absolute.path", dir.toString(), "filename", "rec.dat");
            runner.enqueue("", attributes);
            runner.enqueue("", attributes);
            runner.run(2);

            List<MockFlowFile> ok = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS);
            List<MockFlowFile> failed = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_FAILURE);
            List<String> outcomes = ok.stream().map(f -> f.getAttribute("zarr.outcome")).sorted().toList();
            switch (strategy) {
                case "fail" -> {
                    assertEquals(1, ok.size(), "exactly one writer wins");
                    assertEquals(1, failed.size());
                    failed.getFirst().assertAttributeEquals("memmap.error.type", "output-exists");
                }
                case "replace" -> {
                    assertEquals(2, ok.size());
                    assertTrue(outcomes.contains("created"), outcomes.toString());
                }
                default -> assertEquals(List.of("created", "ignored"), outcomes, "one writes, the other keeps its output");
            }
            assertWhole(out.resolve("rec.zarr"));
            try (Stream<Path> left = Files.list(out)) {
                assertEquals(List.of(out.resolve("rec.zarr")), left.toList(), "no temporaries or set-aside outputs left");
            }
        }
    }
}
