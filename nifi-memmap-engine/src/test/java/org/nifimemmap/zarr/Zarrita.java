package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * zarrita (zarrita.js, the Zarr v3 reader of the JavaScript world) under Node: installed once with {@code npm ci} from
 * the pinned {@code src/test/resources/node/package-lock.json} into {@code target/node-zarrita}, then run on stores.
 * Tests skip only when {@code node} is not installed; a failing install is a failure (CI installs Node and npm).
 */
public final class Zarrita {
    private static final Path HOME = Path.of("target", "node-zarrita").toAbsolutePath();
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "read_store.mjs");
    private static Boolean nodeInstalled;

    private Zarrita() {
    }

    /** Skips the calling test when there is no {@code node}; installs zarrita on first use. */
    public static synchronized void assumeAvailable() throws IOException {
        if (nodeInstalled == null) {
            nodeInstalled = run(List.of("node", "--version"), Path.of(".")).exitCode == 0;
        }
        assumeTrue(nodeInstalled, "node is needed for the zarrita interoperability tests");
        if (Files.isDirectory(HOME.resolve("node_modules/zarrita"))) {
            return;
        }
        Files.createDirectories(HOME);
        for (String name : FILES) {
            try (InputStream in = Zarrita.class.getResourceAsStream("/node/" + name)) {
                Files.copy(in, HOME.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Outcome install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"), HOME);
        if (install.exitCode != 0) {
            throw new IOException("npm ci of zarrita in " + HOME + " failed:\n" + install.output);
        }
    }

    /** One array as zarrita read it: data type, shape and every value in C order (numbers, or strings). */
    public record Read(String dtype, List<Long> shape, JsonNode values) {
    }

    /** The group's attributes under key "/" and each named array as zarrita reads it. */
    public static Map<String, Object> read(Path store, String... arrays) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", HOME.resolve("read_store.mjs").toString(), store.toString()));
        command.addAll(List.of(arrays));
        Outcome out = run(command, HOME);
        if (out.exitCode != 0) {
            throw new AssertionError("zarrita could not read " + store + ":\n" + out.output);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        for (String line : out.output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = Json.MAPPER.readTree(line);
            if (n.has("group")) {
                result.put("/", n.get("attributes"));
                continue;
            }
            List<Long> shape = new ArrayList<>();
            n.get("shape").forEach(s -> shape.add(s.asLong()));
            result.put(n.get("path").asText(), new Read(n.get("dtype").asText(), shape, n.get("values")));
        }
        return result;
    }

    private record Outcome(int exitCode, String output) {
    }

    private static Outcome run(List<String> command, Path dir) throws IOException {
        Path log = Files.createTempFile("zarrita", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(600, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Outcome(-1, "timed out: " + command);
            }
            return new Outcome(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // No such program: the same as a failing one for the availability check.
            return new Outcome(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command, e);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
