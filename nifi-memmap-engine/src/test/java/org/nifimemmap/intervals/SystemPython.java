package org.nifimemmap.intervals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs Debian's /usr/bin/python3 (which has numpy and zarr-python), the independent reference in tests. */
public final class SystemPython {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private SystemPython() {
    }

    /** Runs {@code script} with {@code stdin}; fails the test on a non-zero exit, returns stdout. */
    public static String run(String script, String stdin, String... args) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(PYTHON), "needs /usr/bin/python3 with numpy");
        String[] cmd = new String[args.length + 3];
        cmd[0] = PYTHON.toString();
        cmd[1] = "-c";
        cmd[2] = script;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assumeTrue(p.waitFor(300, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), () -> "python failed: " + new String(err, StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }
}
