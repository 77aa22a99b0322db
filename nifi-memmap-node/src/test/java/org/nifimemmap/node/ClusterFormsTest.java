package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClusterFormsTest {
    @Test
    void twoNodesFormAClusterOnLoopback() throws Exception {
        Path root = Path.of("target", "nodes", "cluster").toAbsolutePath();
        NodeUnderTest.delete(root);
        try (NiFiCluster cluster = NiFiCluster.start(Path.of(System.getProperty("memmap.node.home")), root, 2)) {
            System.out.printf("[real NiFi] 2-node cluster formed in %.1f s: %s%n", cluster.formSeconds(), cluster.nodeStatus());
            assertEquals(2, cluster.nodeStatus().values().stream().filter("CONNECTED"::equals).count(), cluster.nodeStatus().toString());
        }
    }
}
