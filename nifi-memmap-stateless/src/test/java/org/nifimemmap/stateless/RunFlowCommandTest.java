package org.nifimemmap.stateless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/run-flow's command, as its own process: exit 0 when nothing failed, 1 when FlowFiles reached a failure port, no temporaries left. */
class RunFlowCommandTest {
    @TempDir
    Path dir;

    @Test
    void exitsZeroOnSuccessAndOneOnlyWhenAFlowFileFailed() throws Exception {
        Path raw = Files.createDirectory(dir.resolve("raw"));
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path good = raw.resolve("good.dat");
        SyntheticRecording.write(good, 4, 1000, 3_000, 3);
        Path bad = raw.resolve("bad.dat");
        Files.write(bad, new byte[4 * 2 * 10 + 3]);

        Result ok = run(tmp, good);
        assertEquals(0, ok.exit, ok.output);
        assertEmpty(tmp);

        Result failed = run(tmp, bad);
        assertEquals(1, failed.exit, failed.output);
        assertTrue(failed.output.contains("1 FlowFile(s) reached a failure port"), failed.output);
        assertEmpty(tmp);
    }

    private record Result(int exit, String output) {
    }

    private Result run(Path tmp, Path recording) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), RunFlow.class.getName(),
                "--flow", Path.of(System.getProperty("memmap.templates"), "eeg-to-zarr.json").toString(),
                "--nars", System.getProperty("memmap.nars"),
                "--param", "output.directory=" + dir.resolve("zarr"), "--param", "eeg.channels=4",
                "--param", "eeg.sampling_rate=1000", "--param", "restrict.intervals=0-1",
                "--param", "conflict.resolution=replace", recording.toString()));
        if (Runtime.version().feature() >= 22) {
            command.add(1, "--enable-native-access=ALL-UNNAMED");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "RunFlow did not exit");
        return new Result(process.exitValue(), output);
    }

    private static void assertEmpty(Path tmp) throws IOException {
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "RunFlow left temporaries in java.io.tmpdir");
        }
    }
}
