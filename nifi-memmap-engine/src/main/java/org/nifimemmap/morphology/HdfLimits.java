package org.nifimemmap.morphology;

import io.jhdf.api.Dataset;
import java.util.Arrays;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Refuses, before anything is allocated or read, an HDF5 dataset whose declared shape cannot be stored in
 * its file: deflate, the strongest compression jhdf decodes, expands data at most about 1032-fold, so a
 * dataset claiming more bytes than that is a corrupt or hostile header (or one with no data written at all,
 * only a fill value), not a morphology or a node population.
 */
public final class HdfLimits {
    /** zlib's maximum compression ratio (deflate stores at most 258 bytes in about 2 bits). */
    static final long MAX_EXPANSION = 1032;
    /** Slack for tiny datasets stored compactly in the object header. */
    private static final long SLACK_BYTES = 64 * 1024;

    private HdfLimits() {
    }

    public static void requireStorable(String source, Dataset d, long fileLength) {
        int[] dims = d.getDimensions();
        long elementBytes = d.getDataType().getSize();
        long bytes = Math.max(1, elementBytes);
        boolean plausible = elementBytes > 0;
        long limit = MAX_EXPANSION * fileLength + SLACK_BYTES;
        for (int dim : dims) {
            plausible &= dim >= 0;
            if (plausible && dim > 0) {
                bytes = bytes > limit / dim ? limit + 1 : bytes * dim;
            }
        }
        if (!plausible || bytes > limit) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ":" + d.getPath() + " declares shape "
                    + Arrays.toString(dims) + " of " + elementBytes + "-byte elements, more than a file of "
                    + fileLength + " bytes can hold");
        }
    }
}
