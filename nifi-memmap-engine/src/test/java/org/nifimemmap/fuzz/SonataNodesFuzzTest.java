package org.nifimemmap.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;

/** Fuzz test of the SONATA nodes reader (HDF5 through jhdf). */
class SonataNodesFuzzTest {
    static Stream<Arguments> nodesSeeds() {
        return FuzzSeeds.matching("sonata/**/nodes*.h5");
    }

    @MethodSource("nodesSeeds")
    @ParserFuzzTest
    void nodes(byte[] data) {
        ParserContract.readsOrRefuses(data, "nodes.h5", file -> {
            try (NodePopulationReader reader = new NodePopulationReader(file, null)) {
                List<NodePlacement> placements = new ArrayList<>();
                reader.forEach(NodeSelection.all(), placements::add);
                return placements;
            }
        });
    }
}
