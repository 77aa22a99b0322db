package org.nifimemmap.sonata;

import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.index.partition.PartitionPlanner;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.sonata.edges.EdgesFile;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;

/**
 * Partition plans from the cheap columns of a SONATA population: synapses by afferent centre, cells by node
 * position (their soma), sampled to at most {@link PartitionPlanner#MAX_SAMPLE} points.
 */
public final class PartitionPlans {
    private static final int BATCH = 4096;

    private PartitionPlans() {
    }

    public static List<Region> synapses(Path edgesFile, String population, int partitions) {
        try (EdgesFile edges = EdgesFile.open(edgesFile)) {
            float[] xyz = edges.population(population, List.of()).samplePositions(PartitionPlanner.MAX_SAMPLE);
            return PartitionPlanner.plan(xyz, xyz.length / 3, partitions);
        }
    }

    public static List<Region> cells(Path nodesFile, String population, int partitions) {
        try (NodePopulationReader nodes = new NodePopulationReader(nodesFile, population)) {
            long size = nodes.size();
            long stride = Math.max(1, (size + PartitionPlanner.MAX_SAMPLE - 1) / PartitionPlanner.MAX_SAMPLE);
            float[] xyz = new float[3 * (int) ((size + stride - 1) / stride)];
            int k = 0;
            for (long first = 0; first < size; first += BATCH) {
                for (NodePlacement node : nodes.read(first, (int) Math.min(BATCH, size - first))) {
                    if (node.nodeId() % stride == 0) {
                        xyz[3 * k] = (float) node.x();
                        xyz[3 * k + 1] = (float) node.y();
                        xyz[3 * k + 2] = (float) node.z();
                        k++;
                    }
                }
            }
            return PartitionPlanner.plan(xyz, k, partitions);
        }
    }
}
