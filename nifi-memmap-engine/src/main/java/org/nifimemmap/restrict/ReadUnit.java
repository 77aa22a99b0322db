package org.nifimemmap.restrict;

/** A block of consecutive rows of one source segment, read as a whole (a chunk row for Zarr). */
record ReadUnit(int segment, long firstRow, int rows) {
    long endRow() {
        return firstRow + rows;
    }
}
