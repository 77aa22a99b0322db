package org.nifimemmap.sonata.circuit;

import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * What to index: a circuit config, or a nodes file with a morphology directory or container (exactly one of the
 * two modes); which node populations (empty: every biophysical population of the config, every population of the
 * nodes file) and which node ids in each (empty selection: all); the morphology format to read; where to write
 * one index directory per population; the cap on mapped scratch bytes; what to do when a population's index
 * directory exists; and whether a node whose morphology cannot be read fails the build or is left out and listed.
 * With a {@code partition}, only the elements that lie in its region (a soma by its centre, a segment by its
 * midpoint) are indexed, into {@code <outputDir>/<population>/part-iiii-of-nnnn/}. With a {@code scratchDirectory} (node-local disk), the mapped
 * scratch files go there instead of beside the output.
 */
public record SegmentIndexRequest(Path circuitConfig, Path nodesFile, Path morphologies, List<String> populations,
                                  NodeSelection nodeIds, MorphologyFormat morphologyFormat, Path outputDir,
                                  long memoryMapSizeBytes, ConflictStrategy conflict, boolean skipUnreadableMorphologies,
                                  Partition partition, Path scratchDirectory) {
    /** A whole-population build. */
    public SegmentIndexRequest(Path circuitConfig, Path nodesFile, Path morphologies, List<String> populations,
                               NodeSelection nodeIds, MorphologyFormat morphologyFormat, Path outputDir,
                               long memoryMapSizeBytes, ConflictStrategy conflict, boolean skipUnreadableMorphologies) {
        this(circuitConfig, nodesFile, morphologies, populations, nodeIds, morphologyFormat, outputDir, memoryMapSizeBytes,
                conflict, skipUnreadableMorphologies, null, null);
    }

    public SegmentIndexRequest {
        if ((nodesFile == null) == (circuitConfig == null)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Give either a nodes file or a circuit config, not "
                    + (nodesFile == null ? "neither" : "both"));
        }
        if (nodesFile != null && morphologies == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "A nodes file needs a morphology directory or container");
        }
        if (circuitConfig != null && morphologies != null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "With a circuit config, morphologies come from the config ("
                    + circuitConfig + "); do not give a morphology location as well");
        }
        if (outputDir == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "An output directory is required");
        }
        populations = populations == null ? List.of() : List.copyOf(populations);
        nodeIds = nodeIds == null ? NodeSelection.all() : nodeIds;
        morphologyFormat = morphologyFormat == null ? MorphologyFormat.ANY : morphologyFormat;
        conflict = conflict == null ? ConflictStrategy.FAIL : conflict;
    }

    public static SegmentIndexRequest ofNodesFile(Path nodesFile, Path morphologies, Path outputDir, long memoryMapSizeBytes) {
        return new SegmentIndexRequest(null, nodesFile, morphologies, List.of(), NodeSelection.all(), MorphologyFormat.ANY,
                outputDir, memoryMapSizeBytes, ConflictStrategy.FAIL, false);
    }

    public static SegmentIndexRequest ofCircuitConfig(Path circuitConfig, Path outputDir, long memoryMapSizeBytes) {
        return new SegmentIndexRequest(circuitConfig, null, null, List.of(), NodeSelection.all(), MorphologyFormat.ANY,
                outputDir, memoryMapSizeBytes, ConflictStrategy.FAIL, false);
    }

    public SegmentIndexRequest withPopulations(List<String> names) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, names, nodeIds, morphologyFormat, outputDir,
                memoryMapSizeBytes, conflict, skipUnreadableMorphologies, partition, scratchDirectory);
    }

    public SegmentIndexRequest withNodeIds(NodeSelection ids) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, ids, morphologyFormat, outputDir,
                memoryMapSizeBytes, conflict, skipUnreadableMorphologies, partition, scratchDirectory);
    }

    public SegmentIndexRequest withMorphologyFormat(MorphologyFormat format) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, nodeIds, format, outputDir,
                memoryMapSizeBytes, conflict, skipUnreadableMorphologies, partition, scratchDirectory);
    }

    public SegmentIndexRequest withConflict(ConflictStrategy strategy) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, nodeIds, morphologyFormat, outputDir,
                memoryMapSizeBytes, strategy, skipUnreadableMorphologies, partition, scratchDirectory);
    }

    public SegmentIndexRequest withPartition(Partition part) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, nodeIds, morphologyFormat, outputDir,
                memoryMapSizeBytes, conflict, skipUnreadableMorphologies, part, scratchDirectory);
    }

    /** Maps the build's scratch files under {@code directory} (node-local disk) instead of beside the output. */
    public SegmentIndexRequest withScratchDirectory(Path directory) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, nodeIds, morphologyFormat, outputDir,
                memoryMapSizeBytes, conflict, skipUnreadableMorphologies, partition, directory);
    }

    public SegmentIndexRequest withSkipUnreadableMorphologies(boolean skip) {
        return new SegmentIndexRequest(circuitConfig, nodesFile, morphologies, populations, nodeIds, morphologyFormat, outputDir,
                memoryMapSizeBytes, conflict, skip, partition, scratchDirectory);
    }
}
