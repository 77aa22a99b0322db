package org.nifimemmap.index;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** The cap on how many bytes of scratch file a build may map at once (the user's Memory Map Size). */
final class MapBudget {
    private final long capBytes;
    private long mapped;

    MapBudget(long capBytes) {
        if (capBytes <= 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Memory Map Size must be positive, got " + capBytes);
        }
        this.capBytes = capBytes;
    }

    long capBytes() {
        return capBytes;
    }

    long remaining() {
        return capBytes - mapped;
    }

    /** Checks a whole build's need up front, so a build that cannot finish fails before reading its input. */
    void requireTotal(long neededBytes, long elements) {
        if (neededBytes > capBytes) {
            throw tooSmall(neededBytes, elements);
        }
    }

    void take(long bytes, long neededForMessage, long elements) {
        if (mapped + bytes > capBytes) {
            throw tooSmall(neededForMessage, elements);
        }
        mapped += bytes;
    }

    private MemmapException tooSmall(long needed, long elements) {
        return new MemmapException(ErrorKind.INVALID_CONFIG, String.format(
                "Memory Map Size of %,d bytes is too small: indexing %,d elements needs at least %,d bytes (%.1f MiB) of mapped scratch space",
                capBytes, elements, needed, needed / 1048576.0));
    }
}
