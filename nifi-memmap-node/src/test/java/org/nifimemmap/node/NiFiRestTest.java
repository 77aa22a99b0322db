package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which refusals of a change the harness sends again: only those of a cluster whose node is rejoining. */
class NiFiRestTest {
    @Test
    void aNodeInTransitionIsToldFromOtherConflicts() {
        // As NiFi 2.3's replicator words them; the first is the failure reason CI met on a parameter update.
        assertTrue(NiFiRest.nodeInTransition("Failed to update Parameter Context due to org.apache.nifi.cluster.manager.exception."
                + "ConnectingNodeMutableRequestException: Node 127.0.0.1:39899 is currently connecting"));
        assertTrue(NiFiRest.nodeInTransition("Node 127.0.0.1:8080 is currently disconnected"));
        assertTrue(NiFiRest.nodeInTransition("Node localhost:8443 is currently disconnecting"));
        // Conflicts a retry would not mend, or would hide: they stay errors.
        assertFalse(NiFiRest.nodeInTransition("Error: [1] is not the most up-to-date revision. This component appears to have been modified"));
        assertFalse(NiFiRest.nodeInTransition("Cannot start component because it is invalid"));
        assertFalse(NiFiRest.nodeInTransition(null));
    }
}
