package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One real node for a test class, in its own directory under target/, on a free port; {@link #close()} stops it and
 * checks that nothing is left behind: no process, no listening port, no work directory.
 */
final class NodeUnderTest implements AutoCloseable {
    final NiFiNode node;
    final Canvas canvas;
    final Path work;

    private NodeUnderTest(NiFiNode node, Path work) {
        this.node = node;
        this.canvas = new Canvas(node.rest());
        this.work = work;
    }

    static NodeUnderTest start(String name) throws IOException {
        Path home = Path.of(System.getProperty("memmap.node.home"));
        Path work = Path.of("target", "nodes", name).toAbsolutePath();
        delete(work);
        NiFiNode node = NiFiNode.start(home, work, NiFiNode.freePort());
        System.out.printf("[real NiFi] node '%s' on port %d answered after %.1f s%n", name, node.httpPort(), node.startSeconds());
        return new NodeUnderTest(node, work);
    }

    static Path templates() {
        return Path.of(System.getProperty("memmap.templates"));
    }

    static Path fixtures() {
        return Path.of(System.getProperty("memmap.fixtures"));
    }

    @Override
    public void close() throws IOException {
        long pid = node.pid();
        int port = node.httpPort();
        node.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "NiFi process " + pid + " still runs");
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(work.toString())).orElse(false)).toList();
        assertEquals(List.of(), leftovers, "processes still running from " + work);
        assertFalse(listening(port), "port " + port + " still accepts connections after the node stopped");
        delete(work);
        assertFalse(Files.exists(work), work + " was not removed");
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Waits up to {@code seconds} for a condition, polling; if it never holds, fails naming {@code what} with the node's
     * bulletins and the end of its log.
     */
    void await(String what, int seconds, java.util.function.BooleanSupplier condition) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                List<String> log = Files.readAllLines(work.resolve("logs/nifi-app.log"));
                throw new AssertionError("timed out after " + seconds + " s waiting for " + what + "\nbulletins:\n  "
                        + String.join("\n  ", canvas.bulletins()) + "\nstatus: " + node.rest().get("/flow/process-groups/root/status?recursive=true")
                        + "\nend of nifi-app.log:\n"
                        + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size())));
            }
            Canvas.pause(250);
        }
    }
}
