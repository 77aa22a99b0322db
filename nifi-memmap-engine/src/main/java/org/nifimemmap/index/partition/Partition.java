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

    /** "i/n region", the form PlanIndexPartitions writes into index.partition.spec. */
    @Override
    public String toString() {
        return index + "/" + count + " " + region;
    }

    public static Partition parse(String text) {
        String trimmed = text.trim();
        int space = trimmed.indexOf(' ');
        int slash = trimmed.indexOf('/');
        if (space < 0 || slash < 0 || slash > space) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition '" + text + "' must read 'i/n minX,minY,minZ,maxX,maxY,maxZ'"
                    + " (as PlanIndexPartitions writes index.partition.spec)");
        }
        try {
            return new Partition(Integer.parseInt(trimmed.substring(0, slash)), Integer.parseInt(trimmed.substring(slash + 1, space)),
                    Region.parse(trimmed.substring(space + 1)));
        } catch (NumberFormatException e) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition '" + text + "': i and n must be whole numbers");
        }
    }

    /** The partition's directory name inside its population's directory: part-0003-of-0008. */
    public String directoryName() {
        return String.format("part-%04d-of-%04d", index, count);
    }
}
