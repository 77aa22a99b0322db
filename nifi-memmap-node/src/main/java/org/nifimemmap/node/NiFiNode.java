package org.nifimemmap.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real NiFi 2 node in its own JVM, started the way NiFi's bootstrap starts it (main class org.apache.nifi.NiFi, class
 * path conf/ + lib/*), bound to 127.0.0.1 only, plain HTTP. {@link #close()} stops it: SIGTERM, so NiFi's shutdown hook
 * runs, then a forced kill if it has not exited within a minute.
 */
public final class NiFiNode implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 180_000;

    private final Process process;
    private final Path work;
    private final int httpPort;
    private final NiFiRest rest;
    private final long launched;
    private double startSeconds;

    private NiFiNode(Process process, Path work, int httpPort, long launched) {
        this.process = process;
        this.work = work;
        this.httpPort = httpPort;
        this.rest = new NiFiRest(URI.create("http://127.0.0.1:" + httpPort + "/nifi-api"));
        this.launched = launched;
    }

    /**
     * Starts a standalone node with the NiFi home assembled by this module's build ({@code target/nifi-home}: lib/ and
     * extensions/) and waits until its REST API answers.
     */
    public static NiFiNode start(Path home, Path work, int httpPort) throws IOException {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("ZOOKEEPER_START", "false");
        tokens.put("ZOOKEEPER_CONNECT", "");
        tokens.put("ZOOKEEPER_CLIENT_PORT", "");
        tokens.put("ZOOKEEPER_QUORUM_PORT", "");
        tokens.put("ZOOKEEPER_ELECTION_PORT", "");
        tokens.put("CLUSTER_NODE", "false");
        tokens.put("CLUSTER_PROTOCOL_PORT", "");
        tokens.put("CLUSTER_CANDIDATES", "");
        tokens.put("LOAD_BALANCE_PORT", Integer.toString(freePort()));
        NiFiNode node = launch(home, work, httpPort, tokens);
        node.awaitAnswer();
        return node;
    }

    /**
     * Launches a node's JVM with the given conf tokens (beside LIB and HTTP_PORT) without waiting: cluster nodes are
     * launched together, since each waits for the others during flow election.
     */
    static NiFiNode launch(Path home, Path work, int httpPort, Map<String, String> clusterTokens) throws IOException {
        requireAssembled(home);
        Path workDir = work.toAbsolutePath().normalize();
        Map<String, String> tokens = new LinkedHashMap<>(clusterTokens);
        tokens.put("LIB", home.resolve("lib").toAbsolutePath().toString());
        tokens.put("HTTP_PORT", Integer.toString(httpPort));
        NodeDirectory.prepare(home, workDir, tokens);

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms256m");
        command.add("-Xmx" + System.getProperty("memmap.node.heap", "1g"));
        command.add("-Djava.awt.headless=true");
        // zstd-jni (our codecs) loads a native library; JDK 22+ warns on every load unless this is granted.
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.add("-cp");
        command.add(workDir.resolve("conf") + java.io.File.pathSeparator + home.resolve("lib").toAbsolutePath() + "/*");
        command.add("-Dnifi.properties.file.path=" + workDir.resolve("conf/nifi.properties"));
        command.add("-Dlogback.configurationFile=" + workDir.resolve("conf/logback.xml"));
        command.add("-Dorg.apache.nifi.bootstrap.config.log.dir=" + workDir.resolve("logs"));
        command.add("-Dorg.apache.nifi.management.server.address=127.0.0.1:" + freePort());
        command.add("org.apache.nifi.NiFi");
        Path stdout = workDir.resolve("logs/nifi-stdout.log");
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(stdout.toFile()).start();
        return new NiFiNode(process, workDir, httpPort, System.nanoTime());
    }

    /** Waits until the REST API answers; a node that exits or stays silent for three minutes is an error with its log. */
    void awaitAnswer() {
        Path stdout = work.resolve("logs/nifi-stdout.log");
        while (!rest.answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("NiFi exited with code " + process.exitValue() + " while starting; see " + stdout
                        + " and " + work.resolve("logs/nifi-app.log") + ":\n" + tail(stdout));
            }
            if ((System.nanoTime() - launched) / 1_000_000 > START_TIMEOUT_MS) {
                close();
                throw new IllegalStateException("NiFi did not answer on port " + httpPort + " within " + START_TIMEOUT_MS / 1000
                        + " s; see " + work.resolve("logs"));
            }
            sleep(250);
        }
        startSeconds = (System.nanoTime() - launched) / 1e9;
    }

    public NiFiRest rest() {
        return rest;
    }

    public URI canvasUrl() {
        return URI.create("http://127.0.0.1:" + httpPort + "/nifi/");
    }

    public int httpPort() {
        return httpPort;
    }

    public Path workDirectory() {
        return work;
    }

    public long pid() {
        return process.pid();
    }

    /** Seconds from launching the JVM to the first answer of the REST API. */
    public double startSeconds() {
        return startSeconds;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the node to exit on its own (bin/nifi runs in the foreground until stopped). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireAssembled(Path home) {
        if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("extensions"))) {
            throw new IllegalStateException("No NiFi home at " + home + ": build it with ./mvnw -pl nifi-memmap-node -am package -DskipTests");
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
