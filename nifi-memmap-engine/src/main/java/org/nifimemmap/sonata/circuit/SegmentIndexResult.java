package org.nifimemmap.sonata.circuit;

import java.nio.file.Path;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.IndexDirectory;

/**
 * One population's segment index: its directory (holding {@link IndexDirectory#INDEX_FILE} and
 * {@link IndexDirectory#MANIFEST_FILE}), how many nodes and elements (somas plus segments) it holds, their bounds,
 * how many morphology files were parsed to build it, and the nodes left out because their morphology could not be read. {@code skipped} when the directory existed
 * and the conflict strategy is IGNORE (then the counts are -1 and bounds null).
 */
public record SegmentIndexResult(String population, Path directory, long nodes, long elements, Bounds bounds,
                                 long morphologiesParsed, SkippedNodes skippedNodes, boolean skipped) {
    public Path indexFile() {
        return directory.resolve(IndexDirectory.INDEX_FILE);
    }
}
