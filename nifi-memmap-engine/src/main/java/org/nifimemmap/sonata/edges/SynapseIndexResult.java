package org.nifimemmap.sonata.edges;

import java.nio.file.Path;
import org.nifimemmap.index.Bounds;

/**
 * One population's index: its directory (holding {@link SynapseIndexBuilder#INDEX_FILE} and
 * {@link SynapseIndexBuilder#MANIFEST_FILE}), element count and bounds. {@code skipped} when the directory existed
 * and the conflict strategy is IGNORE (then elements is -1 and bounds null).
 */
public record SynapseIndexResult(String population, Path directory, long elements, Bounds bounds, boolean skipped) {
    public Path indexFile() {
        return directory.resolve(SynapseIndexBuilder.INDEX_FILE);
    }
}
