package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the test scripts under src/test/resources/python with /usr/bin/python3 and its zarr 2.x. */
public final class PythonZarr {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean available;

    private PythonZarr() {
    }

    /** Skips the calling test unless /usr/bin/python3 can import zarr, numcodecs and numpy. */
    public static void assumeAvailable() {
        if (available == null) {
            try {
                available = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import zarr, numcodecs, numpy")).exitCode == 0;
            } catch (IOException e) {
                available = false;
            }
        }
        assumeTrue(available, "/usr/bin/python3 with zarr, numcodecs and numpy is needed for the zarr-python interoperability tests");
    }

    public record Outcome(int exitCode, String output) {
    }

    /** Copies the named script out of the test resources into {@code dir} and runs it with the arguments. */
    public static Outcome runScript(Path dir, String script, String... args) throws IOException {
        Path file = dir.resolve(script);
        if (!Files.exists(file)) {
            try (InputStream in = PythonZarr.class.getResourceAsStream("/python/" + script)) {
                if (in == null) {
                    throw new IOException("test resource python/" + script + " missing");
                }
                Files.copy(in, file);
            }
        }
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), file.toString()));
        command.addAll(List.of(args));
        return run(command);
    }

    private static Outcome run(List<String> command) throws IOException {
        Path log = Files.createTempFile("python-zarr", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean finished = p.waitFor(300, TimeUnit.SECONDS);
            if (!finished) {
                p.destroyForcibly();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (!finished) {
                throw new IOException("timed out after 300 s: " + command + "\n" + out);
            }
            return new Outcome(p.exitValue(), out);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
