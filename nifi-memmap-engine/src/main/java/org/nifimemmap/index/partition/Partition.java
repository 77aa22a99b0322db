package org.nifimemmap.index.partition;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Partition {@code index} (0-based) of {@code count} of one population's build, and the region of space it holds. */
public record Partition(int index, int count, Region region) {
    public Partition {
        if (count < 1 || index < 0 || index >= count || region == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition " + index + " of " + count + " does not exist"
                    + (region == null ? " (no region)" : ""));
        }
    }

    /** The partition's directory name inside its population's directory: part-0003-of-0008. */
    public String directoryName() {
        return String.format("part-%04d-of-%04d", index, count);
    }
}
