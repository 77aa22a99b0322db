package org.nifimemmap.morphology;

import io.jhdf.HdfFile;
import io.jhdf.Superblock;
import io.jhdf.api.Dataset;
import io.jhdf.dataset.ContiguousDatasetImpl;
import java.util.Arrays;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Checks an HDF5 file against what jhdf would read from it, before anything is allocated or read.
 *
 * <p>A truncated file is refused, as the HDF5 library refuses it: jhdf 0.13.0 does not check, and reads
 * contiguous data lying past the end by reading the bytes before the end again (its fallback read loop
 * restarts at the same address), so a half-copied file would yield a morphology with wrong points.
 *
 * <p>A dataset whose declared shape cannot be stored in its file is refused: deflate, the strongest
 * compression jhdf decodes, expands data at most about 1032-fold, so a dataset claiming more bytes than
 * that is a corrupt or hostile header (or one with no data written at all, only a fill value), not a
 * morphology or a node population. Contiguous data must lie inside the file.
 */
public final class HdfLimits {
    /** zlib's maximum compression ratio (deflate stores at most 258 bytes in about 2 bits). */
    static final long MAX_EXPANSION = 1032;
    /** Slack for tiny datasets stored compactly in the object header. */
    private static final long SLACK_BYTES = 64 * 1024;

    private HdfLimits() {
    }

    /** Refuses a file shorter than the end-of-file address its superblock records. */
    public static void requireComplete(String source, HdfFile hdf, long fileLength) {
        Superblock sb = hdf.getHdfBackingStorage().getSuperblock();
        // The HDF5 library records the end of file counting the user block (a file with a 512-byte user block
        // records its full length), although the format's other addresses start after it.
        long end = sb.getEndOfFileAddress();
        if (end < 0 || end > fileLength) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": truncated HDF5 file: its superblock "
                    + "records " + end + " bytes, the file has " + fileLength);
        }
    }

    public static void requireStorable(String source, Dataset d, long fileLength) {
        long[] dims = d.getDimensionsAsLong();
        long elementBytes = d.getDataType().getSize();
        long bytes = Math.max(1, elementBytes);
        boolean plausible = elementBytes > 0;
        long limit = MAX_EXPANSION * fileLength + SLACK_BYTES;
        for (long dim : dims) {
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
        if (d instanceof ContiguousDatasetImpl c && !c.isEmpty()) {
            long start = c.getHdfFile().getUserBlockSize() + c.getDataAddress();
            if (start < 0 || start > fileLength || bytes > fileLength - start) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, source + ":" + d.getPath() + " data at bytes "
                        + start + ".." + (start + bytes) + " lies outside the file of " + fileLength + " bytes");
            }
        }
    }
}
