package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, as a person's browser: renders a page, keeps a screenshot and returns the DOM it built. */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    static String render(String url, Path screenshot, Path scratch) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "Debian's chromium is needed at " + CHROMIUM + " (.ci/run installs it)");
        Path profile = Files.createTempDirectory(Files.createDirectories(scratch), "chromium-profile");
        try {
            run(url, profile, "--screenshot=" + screenshot, "--window-size=1600,1000");
            return run(url, profile, "--dump-dom");
        } finally {
            NodeUnderTest.delete(profile);
        }
    }

    private static String run(String url, Path profile, String... extra) throws Exception {
        // No background networking: this machine's closed network refuses Chromium's own connections.
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=20000"));
        command.addAll(List.of(extra));
        command.add(url);
        Path log = profile.resolve("chromium.log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes());
        boolean exited = process.waitFor(120, TimeUnit.SECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        assertTrue(exited, "chromium did not finish rendering " + url);
        assertEquals(0, process.exitValue(), "chromium failed: " + Files.readString(log));
        return out;
    }
}
