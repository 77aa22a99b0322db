package org.nifimemmap.sonata.edges;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.dataset.DatasetBase;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import org.nifimemmap.index.FieldType;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.HdfLimits;

/**
 * A 1-D numeric HDF5 dataset read in slices. Slices come from {@link DatasetBase#getSliceDataBuffer} with the
 * dataset's own byte order applied, so uint64 values are read as raw 64-bit words, not via BigInteger.
 */
final class NumericColumn {
    private final Dataset dataset;
    private final String where;
    private final FieldType type;
    private final ByteOrder order;

    private NumericColumn(Dataset dataset, String where, FieldType type, ByteOrder order) {
        this.dataset = dataset;
        this.where = where;
        this.type = type;
        this.order = order;
    }

    /** A numeric column of {@code file}, {@code fileLength} bytes long, whose declared shape that file must be able to hold. */
    static NumericColumn of(Dataset dataset, Path file, long fileLength, String where) {
        DataType dt = dataset.getDataType();
        // Dimensions as longs: jhdf's int dimensions overflow beyond 2^31 rows, which large circuits' edges reach.
        if (!(dataset instanceof DatasetBase) || dataset.getDimensionsAsLong().length != 1) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where + " must be a one-dimensional dataset, has shape "
                    + java.util.Arrays.toString(dataset.getDimensionsAsLong()));
        }
        HdfLimits.requireStorable(file.toString(), dataset, fileLength);
        if (dt instanceof FixedPoint fp && (dt.getSize() == 1 || dt.getSize() == 2 || dt.getSize() == 4 || dt.getSize() == 8)) {
            return new NumericColumn(dataset, where, FieldType.of(dt.getSize(), fp.isSigned(), false), fp.getByteOrder());
        }
        if (dt instanceof FloatingPoint f && (dt.getSize() == 4 || dt.getSize() == 8)) {
            return new NumericColumn(dataset, where, FieldType.of(dt.getSize(), true, true), f.getByteOrder());
        }
        throw new MemmapException(ErrorKind.INVALID_INPUT, where + " is not an integer or float dataset (HDF5 class "
                + dt.getDataClass() + ", " + dt.getSize() + " bytes)");
    }

    FieldType type() {
        return type;
    }

    long length() {
        return dataset.getDimensionsAsLong()[0];
    }

    String where() {
        return where;
    }

    /** Rows per slice: whole chunks, about 64 Ki rows. */
    int sliceRows() {
        if (dataset instanceof ChunkedDataset c) {
            int chunk = Math.max(1, c.getChunkDimensions()[0]);
            return chunk * Math.max(1, 65536 / chunk);
        }
        return 65536;
    }

    private ByteBuffer slice(long start, int rows) {
        ByteBuffer b;
        try {
            b = ((DatasetBase) dataset).getSliceDataBuffer(new long[] {start}, new int[] {rows}).order(order);
        } catch (RuntimeException | InternalError e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read rows " + start + ".." + (start + rows - 1)
                    + " of " + where + ": " + e.getMessage(), e);
        }
        if (b.limit() < (long) rows * type.size()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Rows " + start + ".." + (start + rows - 1) + " of " + where
                    + " decoded to " + b.limit() + " bytes, not " + (long) rows * type.size());
        }
        return b;
    }

    /** Reads rows [start, start + rows) as doubles (integers converted exactly up to 2^53). */
    void readDoubles(long start, int rows, double[] out) {
        ByteBuffer b = slice(start, rows);
        int size = type.size();
        for (int i = 0; i < rows; i++) {
            out[i] = type.getDouble(b, i * size);
        }
    }

    /** Reads rows [start, start + rows) as non-negative ids; a negative or above-2^63 value is an error naming the row. */
    void readIds(long start, int rows, long[] out) {
        if (type.floating()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where + " holds floats; node ids must be integers");
        }
        ByteBuffer b = slice(start, rows);
        int size = type.size();
        for (int i = 0; i < rows; i++) {
            long v = type.getLong(b, i * size);
            if (v < 0) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, where + " row " + (start + i) + " holds an invalid node id "
                        + (type == FieldType.U64 ? Long.toUnsignedString(v) : Long.toString(v)));
            }
            out[i] = v;
        }
    }
}
