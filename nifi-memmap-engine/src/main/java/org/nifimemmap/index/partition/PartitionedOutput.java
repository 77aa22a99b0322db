package org.nifimemmap.index.partition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nifimemmap.io.AtomicOutput;

/**
 * Where a partition's index goes and what it keeps. A whole population's index directory is
 * {@code <outputDir>/<population>/}; a partition's is {@code <outputDir>/<population>/part-iiii-of-nnnn/}, each
 * partition directory appearing atomically on its own, so one partition can be rebuilt without touching the others.
 */
public final class PartitionedOutput {
    private PartitionedOutput() {
    }

    /** The directory a population's (or partition's) index goes to. */
    public static Path path(Path outputDir, String population, Partition partition) {
        return partition == null ? outputDir.resolve(population) : outputDir.resolve(population).resolve(partition.directoryName());
    }

    /** {@link #path}, with a partition's population directory created (it is shared by all partitions). */
    public static Path target(Path outputDir, String population, Partition partition) {
        if (partition == null) {
            return outputDir.resolve(population);
        }
        Path populationDir = outputDir.resolve(population);
        try {
            Files.createDirectories(populationDir);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(populationDir, e);
        }
        return populationDir.resolve(partition.directoryName());
    }

    /** Adds the partition's number, count and region to a population manifest (nothing for a whole population). */
    public static void describe(Partition partition, Map<String, Object> manifest) {
        if (partition != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("index", partition.index());
            p.put("count", partition.count());
            p.put("region", partition.region().toString());
            manifest.put("partition", p);
        }
    }
}
