package org.nifimemmap.sonata;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nifimemmap.index.partition.PartitionPlanner;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.config.CircuitConfig;
import org.nifimemmap.sonata.config.PopulationConfig;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.edges.EdgesFile;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;

/**
 * Partition plans from the cheap columns of a SONATA population: synapses by afferent centre, cells by node
 * position (their soma), sampled to {@link PartitionPlanner#sampleSize} points.
 */
public final class PartitionPlans {
    private static final int BATCH = 4096;

    /** What is partitioned: the synapses of an edge population, or the cells of a node population. */
    public enum Kind { SYNAPSES, CELLS }

    /** The regions of a plan, and the population they partition. */
    public record Plan(String population, List<Region> regions) {
    }

    private PartitionPlans() {
    }

    /**
     * Plans one population of an edges file, a nodes file or a circuit config ({@code .json}); {@code population}
     * may be null when the input holds exactly one population of the kind (a config's chemical edge or biophysical
     * node populations).
     */
    public static Plan plan(Kind kind, Path input, String population, int partitions) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (input.getFileName().toString().endsWith(".json")) {
            CircuitConfig config = CircuitConfig.load(input);
            List<PopulationConfig> candidates = kind == Kind.SYNAPSES ? config.edgePopulations()
                    : config.nodePopulations().stream().filter(p -> p.type().equals("biophysical")).toList();
            candidates.forEach(p -> files.put(p.name(), p.file()));
        } else if (kind == Kind.SYNAPSES) {
            try (EdgesFile edges = EdgesFile.open(input)) {
                edges.populations().forEach(name -> files.put(name, input));
            }
        } else {
            for (String name : SegmentIndexBuilder.populationsOf(input)) {
                files.put(name, input);
            }
        }
        String name = population;
        if (name == null) {
            if (files.size() != 1) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, input + " holds " + files.size() + " populations to partition "
                        + files.keySet() + "; name the one to plan (a partitioned build covers one population)");
            }
            name = files.keySet().iterator().next();
        }
        Path file = files.get(name);
        if (file == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "No population '" + name + "' to partition in " + input + "; it has "
                    + files.keySet());
        }
        return new Plan(name, kind == Kind.SYNAPSES ? synapses(file, name, partitions) : cells(file, name, partitions));
    }

    public static List<Region> synapses(Path edgesFile, String population, int partitions) {
        try (EdgesFile edges = EdgesFile.open(edgesFile)) {
            float[] xyz = edges.population(population, List.of()).samplePositions(PartitionPlanner.sampleSize(partitions));
            return PartitionPlanner.plan(xyz, xyz.length / 3, partitions);
        }
    }

    public static List<Region> cells(Path nodesFile, String population, int partitions) {
        try (NodePopulationReader nodes = new NodePopulationReader(nodesFile, population)) {
            long size = nodes.size();
            long sample = PartitionPlanner.sampleSize(partitions);
            long stride = Math.max(1, (size + sample - 1) / sample);
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
