package org.nifimemmap.sonata.edges;

import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * What to index: an edges file or a circuit config (exactly one of the two), which populations (empty: all),
 * extra attribute columns to store, where to write one index directory per population, the cap on mapped
 * scratch bytes, and what to do when a population's index directory exists. With a {@code partition}, only the edges
 * whose afferent centre lies in its region are indexed, into {@code <outputDir>/<population>/part-iiii-of-nnnn/}. With a
 * {@code scratchDirectory} (node-local disk), the mapped scratch files go there instead of beside the output.
 */
public record SynapseIndexRequest(Path edgesFile, Path circuitConfig, List<String> populations, List<String> extraAttributes,
                                  Path outputDir, long memoryMapSizeBytes, ConflictStrategy conflict, Partition partition,
                                  Path scratchDirectory) {
    /** A whole-population build, scratch files beside the output. */
    public SynapseIndexRequest(Path edgesFile, Path circuitConfig, List<String> populations, List<String> extraAttributes,
                               Path outputDir, long memoryMapSizeBytes, ConflictStrategy conflict) {
        this(edgesFile, circuitConfig, populations, extraAttributes, outputDir, memoryMapSizeBytes, conflict, null, null);
    }

    /** One partition (or the whole population when null), scratch files beside the output. */
    public SynapseIndexRequest(Path edgesFile, Path circuitConfig, List<String> populations, List<String> extraAttributes,
                               Path outputDir, long memoryMapSizeBytes, ConflictStrategy conflict, Partition partition) {
        this(edgesFile, circuitConfig, populations, extraAttributes, outputDir, memoryMapSizeBytes, conflict, partition, null);
    }

    public SynapseIndexRequest {
        if ((edgesFile == null) == (circuitConfig == null)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Give either an edges file or a circuit config, not "
                    + (edgesFile == null ? "neither" : "both"));
        }
        if (outputDir == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "An output directory is required");
        }
        populations = populations == null ? List.of() : List.copyOf(populations);
        extraAttributes = extraAttributes == null ? List.of() : List.copyOf(extraAttributes);
        conflict = conflict == null ? ConflictStrategy.FAIL : conflict;
    }

    public static SynapseIndexRequest ofEdgesFile(Path edgesFile, Path outputDir, long memoryMapSizeBytes) {
        return new SynapseIndexRequest(edgesFile, null, List.of(), List.of(), outputDir, memoryMapSizeBytes, ConflictStrategy.FAIL);
    }
}
