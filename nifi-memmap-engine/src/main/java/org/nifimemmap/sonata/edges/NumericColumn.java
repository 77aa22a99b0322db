package org.nifimemmap.sonata.edges;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 * A 1-D numeric HDF5 dataset read in slices, with the dataset's own byte order applied, so uint64 values are read
 * as raw 64-bit words, not via BigInteger. Data stored without filters is read with positional reads where it lies
 * ({@link StoredExtents}); filtered (compressed) data and chunks never written go through jhdf.
 */
final class NumericColumn {
    private final Dataset dataset;
    private final String where;
    private final FieldType type;
    private final ByteOrder order;
    /** Where unfiltered data lies, or null when jhdf decodes it. */
    private final StoredExtents extents;
    private ByteBuffer rowBuffer;

    private NumericColumn(Dataset dataset, String where, FieldType type, ByteOrder order, FileChannel channel, long fileLength) {
        this.dataset = dataset;
        this.where = where;
        this.type = type;
        this.order = order;
        this.extents = StoredExtents.of(dataset, channel, fileLength, where);
    }

    /**
     * A numeric column of {@code file}, {@code fileLength} bytes long, whose declared shape that file must be able to
     * hold; {@code channel}, open on that file, reads its unfiltered data.
     */
    static NumericColumn of(Dataset dataset, Path file, long fileLength, String where, FileChannel channel) {
        DataType dt = dataset.getDataType();
        // Dimensions as longs: jhdf's int dimensions overflow beyond 2^31 rows, which large circuits' edges reach.
        if (!(dataset instanceof DatasetBase) || dataset.getDimensionsAsLong().length != 1) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where + " must be a one-dimensional dataset, has shape "
                    + java.util.Arrays.toString(dataset.getDimensionsAsLong()));
        }
        HdfLimits.requireStorable(file.toString(), dataset, fileLength);
        if (dt instanceof FixedPoint fp && (dt.getSize() == 1 || dt.getSize() == 2 || dt.getSize() == 4 || dt.getSize() == 8)) {
            return new NumericColumn(dataset, where, FieldType.of(dt.getSize(), fp.isSigned(), false), fp.getByteOrder(), channel, fileLength);
        }
        if (dt instanceof FloatingPoint f && (dt.getSize() == 4 || dt.getSize() == 8)) {
            return new NumericColumn(dataset, where, FieldType.of(dt.getSize(), true, true), f.getByteOrder(), channel, fileLength);
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
            b = storedSlice(start, rows);
            if (b == null) {
                b = ((DatasetBase) dataset).getSliceDataBuffer(new long[] {start}, new int[] {rows});
            }
            b.order(order);
        } catch (MemmapException e) {
            throw e;
        } catch (IOException | RuntimeException | InternalError e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read rows " + start + ".." + (start + rows - 1)
                    + " of " + where + ": " + e.getMessage(), e);
        }
        if (b.limit() < (long) rows * type.size()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Rows " + start + ".." + (start + rows - 1) + " of " + where
                    + " decoded to " + b.limit() + " bytes, not " + (long) rows * type.size());
        }
        return b;
    }

    /** The rows as stored, read into a buffer this column reuses, or null when jhdf must decode them. */
    private ByteBuffer storedSlice(long start, int count) throws IOException {
        if (extents == null) {
            return null;
        }
        int bytes = count * type.size();
        if (rowBuffer == null || rowBuffer.capacity() < bytes) {
            rowBuffer = ByteBuffer.allocateDirect(Math.max(bytes, 64 << 10));
        }
        return extents.read(start, count, rowBuffer) ? rowBuffer : null;
    }

    /** Reads rows [start, start + rows) as doubles (integers converted exactly up to 2^53). */
    void readDoubles(long start, int rows, double[] out) {
        ByteBuffer b = slice(start, rows);
        // The common types get loops of their own, without a type switch per value: 10M rows' five columns read in
        // 0.057 s instead of 0.067 s.
        switch (type) {
            case F32 -> {
                for (int i = 0; i < rows; i++) {
                    out[i] = b.getFloat(i << 2);
                }
            }
            case F64 -> {
                for (int i = 0; i < rows; i++) {
                    out[i] = b.getDouble(i << 3);
                }
            }
            default -> {
                int size = type.size();
                for (int i = 0; i < rows; i++) {
                    out[i] = type.getDouble(b, i * size);
                }
            }
        }
    }

    /** Reads rows [start, start + rows) as floats (float64 rounded to the nearest float). */
    void readFloats(long start, int rows, float[] out) {
        ByteBuffer b = slice(start, rows);
        if (type == FieldType.F32) {
            // A bulk copy (a plain memory copy when the stored order is the machine's), not a get per value.
            b.asFloatBuffer().get(0, out, 0, rows);
            return;
        }
        int size = type.size();
        for (int i = 0; i < rows; i++) {
            out[i] = (float) type.getDouble(b, i * size);
        }
    }

    /**
     * Reads the ids of rows [start, start + rows), or of the rows {@code wanted} lists ({@code count} of them, each
     * relative to {@code start}; null: all rows), into {@code out[0..count)}. Ids must be non-negative: a negative or
     * above-2^63 value among those read is an error naming its row.
     */
    void readIds(long start, int rows, int[] wanted, int count, long[] out) {
        if (type.floating()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, where + " holds floats; node ids must be integers");
        }
        ByteBuffer b = slice(start, rows);
        int size = type.size();
        long negative = 0;
        boolean words = type == FieldType.I64 || type == FieldType.U64;
        if (wanted == null && words) {
            b.asLongBuffer().get(0, out, 0, count);
            for (int j = 0; j < count; j++) {
                negative |= out[j];
            }
        } else if (words) {
            // Only the wanted rows, straight from the slice: a partition keeps a P-th of them.
            for (int j = 0; j < count; j++) {
                long v = b.getLong(wanted[j] << 3);
                negative |= v;
                out[j] = v;
            }
        } else {
            for (int j = 0; j < count; j++) {
                long v = type.getLong(b, (wanted == null ? j : wanted[j]) * size);
                negative |= v;
                out[j] = v;
            }
        }
        if (negative >= 0) {
            return;
        }
        for (int j = 0; j < count; j++) {
            long v = out[j];
            if (v < 0) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, where + " row " + (start + (wanted == null ? j : wanted[j]))
                        + " holds an invalid node id " + (type == FieldType.U64 ? Long.toUnsignedString(v) : Long.toString(v)));
            }
        }
    }
}
