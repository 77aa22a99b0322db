package org.nifimemmap.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NiFi cluster on 127.0.0.1: nodes in separate working directories and JVMs, ZooKeeper embedded in the first node,
 * plain HTTP, load-balanced connections on a port of each node's own. {@link #close()} stops every node.
 */
public final class NiFiCluster implements AutoCloseable {
    private static final long FORM_TIMEOUT_MS = 240_000;

    private final List<NiFiNode> nodes;
    private final double formSeconds;

    private NiFiCluster(List<NiFiNode> nodes, double formSeconds) {
        this.nodes = nodes;
        this.formSeconds = formSeconds;
    }

    public static NiFiCluster start(Path home, Path workRoot, int size) throws IOException {
        int zookeeper = NiFiNode.freePort();
        List<NiFiNode> nodes = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int i = 1; i <= size; i++) {
                Path work = workRoot.resolve("node" + i);
                Map<String, String> tokens = new LinkedHashMap<>();
                boolean runsZooKeeper = i == 1;
                tokens.put("ZOOKEEPER_START", Boolean.toString(runsZooKeeper));
                tokens.put("ZOOKEEPER_CONNECT", "127.0.0.1:" + zookeeper);
                tokens.put("ZOOKEEPER_CLIENT_PORT", Integer.toString(zookeeper));
                tokens.put("ZOOKEEPER_QUORUM_PORT", Integer.toString(NiFiNode.freePort()));
                tokens.put("ZOOKEEPER_ELECTION_PORT", Integer.toString(NiFiNode.freePort()));
                tokens.put("CLUSTER_NODE", "true");
                tokens.put("CLUSTER_PROTOCOL_PORT", Integer.toString(NiFiNode.freePort()));
                tokens.put("CLUSTER_CANDIDATES", Integer.toString(size));
                tokens.put("LOAD_BALANCE_PORT", Integer.toString(NiFiNode.freePort()));
                if (runsZooKeeper) {
                    // The embedded server's id, as ZooKeeper reads it from its data directory.
                    Path data = Files.createDirectories(work.toAbsolutePath().resolve("state/zookeeper"));
                    Files.writeString(data.resolve("myid"), "1\n");
                }
                nodes.add(NiFiNode.launch(home, work, NiFiNode.freePort(), tokens));
            }
            for (NiFiNode node : nodes) {
                node.awaitAnswer();
            }
            long deadline = System.nanoTime() + FORM_TIMEOUT_MS * 1_000_000;
            // Settled: every node CONNECTED on the cluster page twice, a heartbeat apart (a node can rejoin right after it joined).
            int settledPolls = 0;
            while (true) {
                settledPolls = allConnected(nodes.getFirst(), size) ? settledPolls + 1 : 0;
                if (settledPolls == 2) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster did not connect " + size + " nodes within " + FORM_TIMEOUT_MS / 1000
                            + " s; see the logs under " + workRoot);
                }
                Canvas.pause(settledPolls == 0 ? 500 : 2000);
            }
        } catch (IOException | RuntimeException e) {
            nodes.forEach(NiFiNode::close);
            throw e;
        }
        return new NiFiCluster(nodes, (System.nanoTime() - t0) / 1e9);
    }

    public List<NiFiNode> nodes() {
        return nodes;
    }

    /** Seconds from launching the first JVM until every node is connected. */
    public double formSeconds() {
        return formSeconds;
    }

    /** The cluster's nodes as the cluster page lists them: address:port to status. */
    public Map<String, String> nodeStatus() {
        return statusSeenBy(nodes.getFirst());
    }

    private static Map<String, String> statusSeenBy(NiFiNode node) {
        Map<String, String> status = new LinkedHashMap<>();
        for (JsonNode n : node.rest().get("/controller/cluster").path("cluster").path("nodes")) {
            status.put(n.path("address").asText() + ":" + n.path("apiPort").asInt(), n.path("status").asText());
        }
        return status;
    }

    /** True when the cluster page lists {@code size} nodes, every one CONNECTED. */
    private static boolean allConnected(NiFiNode node, int size) {
        try {
            Map<String, String> status = statusSeenBy(node);
            return status.size() == size && status.values().stream().allMatch("CONNECTED"::equals);
        } catch (RuntimeException e) {
            return false; // not yet part of a cluster: the API answers 409 until flow election completes
        }
    }

    @Override
    public void close() {
        nodes.reversed().forEach(NiFiNode::close);
    }
}
