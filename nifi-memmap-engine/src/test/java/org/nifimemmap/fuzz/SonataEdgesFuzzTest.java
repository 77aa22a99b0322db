package org.nifimemmap.fuzz;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.sonata.edges.EdgePopulation;
import org.nifimemmap.sonata.edges.EdgesFile;

/** Fuzz test of the SONATA edges reader (HDF5 through jhdf), as BuildSynapseIndex reads edges files. */
class SonataEdgesFuzzTest {
    static Stream<Arguments> edgesSeeds() {
        return FuzzSeeds.matching("sonata/**/edges*.h5");
    }

    @MethodSource("edgesSeeds")
    @ParserFuzzTest
    void edges(byte[] data) {
        ParserContract.readsOrRefuses(data, "edges.h5", file -> {
            try (EdgesFile edges = EdgesFile.open(file)) {
                long[] synapses = new long[1];
                SynapseSink count = new SynapseSink() {
                    @Override
                    public void add(float x, float y, float z, long edgeId, long preGid, long postGid) {
                        synapses[0]++;
                    }

                    @Override
                    public void add(float x, float y, float z, long edgeId, long preGid, long postGid, double[] extras) {
                        synapses[0]++;
                    }
                };
                for (String name : edges.populations()) {
                    EdgePopulation population = edges.population(name, List.of());
                    population.readInto(count);
                }
                return synapses[0];
            }
        });
    }
}
