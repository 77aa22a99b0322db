package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The out-of-core build shared by all element types. Records are spilled in a wide scratch layout to a mapped
 * scratch file; at the end they are ordered on a 3-D Hilbert curve of their box centres by an LSD radix sort of
 * (curve key, record number) longs in two more mapped scratch arrays, copied in that order into the index file in
 * their narrowest layout, and the packed R-tree is built bottom-up from them. Heap use is constant: a few
 * histograms and one I/O buffer.
 */
final class PackedIndexWriter implements AutoCloseable {
    /** An identity or attribute column: its scratch type and the final types to choose from, narrowest first. */
    record Column(String name, FieldType scratchType, List<FieldType> choices) {
    }

    private static final int KEY_BYTES = 8;
    private static final int RADIX_BITS = 11;
    private static final int IO_BUFFER = 1 << 20;

    private final ElementType type;
    private final int nodeSize = IndexFormat.DEFAULT_NODE_SIZE;
    private final List<Column> columns;
    private final int[] scratchOffsets;
    private final int scratchRecordSize;
    private final long[] maxima;
    private final MapBudget budget;
    private final Path scratchDir;
    private final long scratchWindowBytes;
    private final ScratchArray records;
    private final double[] centreMin = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] centreMax = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private final double[] box = new double[6];
    private long count;
    private long pending = -1;
    private boolean finished;

    PackedIndexWriter(ElementType type, List<Column> columns, Path scratchDir, long memoryMapSizeBytes, long expectedCount) {
        this(type, columns, scratchDir, memoryMapSizeBytes, expectedCount, ScratchArray.DEFAULT_WINDOW);
    }

    /** {@code scratchWindowBytes} below the default lets tests cross scratch window boundaries with few elements. */
    PackedIndexWriter(ElementType type, List<Column> columns, Path scratchDir, long memoryMapSizeBytes, long expectedCount,
                      long scratchWindowBytes) {
        this.scratchWindowBytes = scratchWindowBytes;
        this.type = type;
        this.columns = List.copyOf(columns);
        this.scratchOffsets = new int[columns.size()];
        int offset = 4 * type.geometryFloats();
        for (int i = 0; i < columns.size(); i++) {
            scratchOffsets[i] = offset;
            offset += columns.get(i).scratchType().size();
        }
        this.scratchRecordSize = offset;
        this.maxima = new long[columns.size()];
        this.budget = new MapBudget(memoryMapSizeBytes);
        this.scratchDir = scratchDir;
        if (expectedCount > 0) {
            budget.requireTotal(scratchNeed(expectedCount), expectedCount);
        }
        try {
            Files.createDirectories(scratchDir);
            this.records = new ScratchArray(scratchFile("records"), scratchRecordSize, scratchWindowBytes);
            if (expectedCount > 0) {
                records.ensure(expectedCount, budget, scratchNeed(expectedCount));
            }
        } catch (IOException e) {
            throw scratchFailure(e);
        }
    }

    /** Mapped scratch bytes a build of n elements needs: wide records, two key arrays, the tree. */
    long scratchNeed(long n) {
        return scratchNeed(scratchRecordSize, n);
    }

    /** As {@link #scratchNeed(long)}, before a writer exists, so callers can check a cap before reading input. */
    static long scratchNeed(ElementType type, List<Column> columns, long n) {
        int recordSize = 4 * type.geometryFloats();
        for (Column c : columns) {
            recordSize += c.scratchType().size();
        }
        return scratchNeed(recordSize, n);
    }

    private static long scratchNeed(int scratchRecordSize, long n) {
        long nodes = 0;
        for (long c : IndexFormat.levelCounts(n, IndexFormat.DEFAULT_NODE_SIZE)) {
            nodes += c;
        }
        return n * scratchRecordSize + 2L * KEY_BYTES * n + nodes * IndexFormat.NODE_BYTES;
    }

    /** Starts a record: returns its scratch window, positioned at the record's first byte, for relative puts. */
    ByteBuffer begin() {
        if (finished) {
            throw new IllegalStateException("Index already written");
        }
        if (count == records.capacity()) {
            try {
                records.ensure(count + 1, budget, scratchNeed(count + 1));
            } catch (IOException e) {
                throw scratchFailure(e);
            }
        }
        pending = count;
        ByteBuffer w = records.window(count);
        w.position(records.offset(count));
        return w;
    }

    /** Completes the record begun last: tracks centre bounds and identity maxima from what was written. */
    void end() {
        ByteBuffer w = records.window(pending);
        int at = records.offset(pending);
        elementBox(w, at, box);
        for (int a = 0; a < 3; a++) {
            double c = (box[a] + box[a + 3]) / 2;
            centreMin[a] = Math.min(centreMin[a], c);
            centreMax[a] = Math.max(centreMax[a], c);
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (c.choices().size() > 1) {
                maxima[i] = Math.max(maxima[i], c.scratchType().getLong(w, at + scratchOffsets[i]));
            }
        }
        count++;
        pending = -1;
    }

    long count() {
        return count;
    }

    /** Exact double box of the element at {@code at}: a point, or a cylinder (a sphere when p1 == p2). */
    void elementBox(ByteBuffer w, int at, double[] out) {
        if (type == ElementType.SYNAPSE) {
            out[0] = out[3] = w.getFloat(at);
            out[1] = out[4] = w.getFloat(at + 4);
            out[2] = out[5] = w.getFloat(at + 8);
        } else {
            Geometry.cylinderBox(w.getFloat(at), w.getFloat(at + 4), w.getFloat(at + 8), w.getFloat(at + 12),
                    w.getFloat(at + 16), w.getFloat(at + 20), w.getFloat(at + 24), out);
        }
    }

    /** Sorts, writes the index file at {@code file} (created; must not exist) and returns what was written. */
    IndexSummary writeTo(Path file) {
        if (finished) {
            throw new IllegalStateException("Index already written");
        }
        finished = true;
        budget.requireTotal(scratchNeed(count), count);
        RecordLayout layout = finalLayout();
        long[] levels = IndexFormat.levelCounts(count, nodeSize);
        FileChannel out;
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(file, e);
        }
        try (out;
             ScratchArray keysA = new ScratchArray(scratchFile("keys-a"), KEY_BYTES, scratchWindowBytes);
             ScratchArray keysB = new ScratchArray(scratchFile("keys-b"), KEY_BYTES, scratchWindowBytes);
             ScratchArray tree = new ScratchArray(scratchFile("tree"), IndexFormat.NODE_BYTES, scratchWindowBytes)) {
            ScratchArray sorted = sortByCurve(keysA, keysB);
            long nodes = 0;
            for (long c : levels) {
                nodes += c;
            }
            if (nodes > 0) {
                tree.ensure(nodes, budget, scratchNeed(count));
            }
            IndexHeader provisional = new IndexHeader(layout, nodeSize, count, levels, 0, Bounds.EMPTY);
            CRC32 crc = new CRC32();
            ByteBuffer buf = ByteBuffer.allocate(IO_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
            out.position(provisional.headerSize());
            Bounds bounds = writeRecords(sorted, layout, tree, out, buf, crc);
            long pad = provisional.treeOffset() - (provisional.recordsOffset() + count * layout.recordSize());
            if (buf.remaining() < pad) {
                flush(buf, out, crc);
            }
            for (int i = 0; i < pad; i++) {
                buf.put((byte) 0);
            }
            buildUpperLevels(tree, levels);
            for (long node = 0; node < nodes; node++) {
                if (buf.remaining() < IndexFormat.NODE_BYTES) {
                    flush(buf, out, crc);
                }
                buf.put(buf.position(), tree.window(node), tree.offset(node), IndexFormat.NODE_BYTES);
                buf.position(buf.position() + IndexFormat.NODE_BYTES);
            }
            flush(buf, out, crc);
            IndexHeader header = new IndexHeader(layout, nodeSize, count, levels, (int) crc.getValue(), bounds);
            ByteBuffer head = header.encode();
            long at = 0;
            while (head.hasRemaining()) {
                at += out.write(head, at);
            }
            if (out.size() != header.fileLength()) {
                throw new IllegalStateException("Index writer produced " + out.size() + " bytes, header says " + header.fileLength());
            }
            out.force(true);
            return new IndexSummary(file, type, count, bounds, header.fileLength());
        } catch (IOException e) {
            deletePartial(file);
            throw AtomicOutput.writeFailure(file, e);
        } catch (RuntimeException e) {
            deletePartial(file);
            throw e;
        }
    }

    /** A failed write leaves no partial index behind; the file was created by this call, so it is ours to remove. */
    private static void deletePartial(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // The failure being reported matters more; the caller's temporary directory is removed anyway.
        }
    }

    private RecordLayout finalLayout() {
        List<String> names = new ArrayList<>(RecordLayout.geometryNames(type));
        List<FieldType> types = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            types.add(FieldType.F32);
        }
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            FieldType chosen = c.choices().get(c.choices().size() - 1);
            for (FieldType t : c.choices()) {
                if (t.holds(maxima[i])) {
                    chosen = t;
                    break;
                }
            }
            names.add(c.name());
            types.add(chosen);
        }
        return RecordLayout.packed(type, names, types);
    }

    /** Fills keys with (Hilbert key << indexBits | record number) and radix-sorts them; returns the sorted array. */
    private ScratchArray sortByCurve(ScratchArray a, ScratchArray b) throws IOException {
        if (count == 0) {
            return a;
        }
        long need = scratchNeed(count);
        a.ensure(count, budget, need);
        b.ensure(count, budget, need);
        int indexBits = indexBits(count);
        int bits = Math.min(21, (64 - indexBits) / 3);
        double cells = (1 << bits) - 1;
        int[] q = new int[3];
        for (long i = 0; i < count; i++) {
            elementBox(records.window(i), records.offset(i), box);
            for (int axis = 0; axis < 3; axis++) {
                double span = centreMax[axis] - centreMin[axis];
                double c = (box[axis] + box[axis + 3]) / 2;
                q[axis] = span > 0 ? (int) Math.min(cells, Math.max(0, (c - centreMin[axis]) / span * cells)) : 0;
            }
            a.putLong(i, (Hilbert3D.index(q[0], q[1], q[2], bits) << indexBits) | i);
        }
        // LSD radix on the curve bits only: the record numbers below them are already ascending and each pass is stable.
        // A digit's histogram does not depend on the order of the keys, so one read pass counts every digit.
        int mask = (1 << RADIX_BITS) - 1;
        int passes = (3 * bits + RADIX_BITS - 1) / RADIX_BITS;
        long[][] histograms = new long[passes][1 << RADIX_BITS];
        for (long i = 0; i < count; i++) {
            long k = a.getLong(i);
            for (int pass = 0; pass < passes; pass++) {
                histograms[pass][(int) ((k >>> (indexBits + pass * RADIX_BITS)) & mask)]++;
            }
        }
        ScratchArray from = a, to = b;
        for (int pass = 0; pass < passes; pass++) {
            int shift = indexBits + pass * RADIX_BITS;
            long[] counts = histograms[pass];
            long sum = 0;
            for (int d = 0; d < counts.length; d++) {
                long c = counts[d];
                counts[d] = sum;
                sum += c;
            }
            for (long i = 0; i < count; i++) {
                long k = from.getLong(i);
                to.putLong(counts[(int) ((k >>> shift) & mask)]++, k);
            }
            ScratchArray t = from;
            from = to;
            to = t;
        }
        return from;
    }

    /** Copies records in curve order into the file, narrowing columns, and writes the bottom tree level. */
    private Bounds writeRecords(ScratchArray sorted, RecordLayout layout, ScratchArray tree, FileChannel out,
                                ByteBuffer buf, CRC32 crc) throws IOException {
        long indexMask = (1L << indexBits(count)) - 1;
        double[] all = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] node = new double[6];
        int geometryBytes = 4 * type.geometryFloats();
        List<Field> fields = layout.fields();
        int firstColumnField = type.geometryFloats();
        for (long k = 0; k < count; k++) {
            long i = sorted.getLong(k) & indexMask;
            ByteBuffer w = records.window(i);
            int at = records.offset(i);
            if (buf.remaining() < layout.recordSize()) {
                flush(buf, out, crc);
            }
            int p = buf.position();
            buf.put(p, w, at, geometryBytes);
            p += geometryBytes;
            for (int c = 0; c < columns.size(); c++) {
                Column col = columns.get(c);
                FieldType target = fields.get(firstColumnField + c).type();
                if (col.scratchType() == target) {
                    buf.put(p, w, at + scratchOffsets[c], target.size());
                } else {
                    target.putLong(buf, p, col.scratchType().getLong(w, at + scratchOffsets[c]));
                }
                p += target.size();
            }
            buf.position(p);
            elementBox(w, at, box);
            if (k % nodeSize == 0) {
                System.arraycopy(box, 0, node, 0, 6);
            } else {
                union(node, box);
            }
            union(all, box);
            if (k % nodeSize == nodeSize - 1 || k == count - 1) {
                putNode(tree, k / nodeSize, node);
            }
        }
        return count == 0 ? Bounds.EMPTY : new Bounds(all[0], all[1], all[2], all[3], all[4], all[5]);
    }

    /** Bits that hold a record number below the curve key. */
    private static int indexBits(long n) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
    }

    private void buildUpperLevels(ScratchArray tree, long[] levels) {
        double[] node = new double[6];
        double[] child = new double[6];
        long below = 0;
        for (int level = 1; level < levels.length; level++) {
            long start = below + levels[level - 1];
            for (long j = 0; j < levels[level]; j++) {
                long first = j * nodeSize;
                long last = Math.min(levels[level - 1], first + nodeSize);
                readNode(tree, below + first, node);
                for (long c = first + 1; c < last; c++) {
                    readNode(tree, below + c, child);
                    union(node, child);
                }
                putNode(tree, start + j, node);
            }
            below = start;
        }
    }

    private static void union(double[] into, double[] b) {
        for (int a = 0; a < 3; a++) {
            into[a] = Math.min(into[a], b[a]);
            into[a + 3] = Math.max(into[a + 3], b[a + 3]);
        }
    }

    /** Stores a node box as float32, rounded outward so it still contains every element's double box. */
    private static void putNode(ScratchArray tree, long node, double[] b) {
        ByteBuffer w = tree.window(node);
        int at = tree.offset(node);
        for (int a = 0; a < 3; a++) {
            w.putFloat(at + 4 * a, floorFloat(b[a]));
            w.putFloat(at + 12 + 4 * a, ceilFloat(b[a + 3]));
        }
    }

    private static void readNode(ScratchArray tree, long node, double[] out) {
        ByteBuffer w = tree.window(node);
        int at = tree.offset(node);
        for (int i = 0; i < 6; i++) {
            out[i] = w.getFloat(at + 4 * i);
        }
    }

    static float floorFloat(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    static float ceilFloat(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }

    private static void flush(ByteBuffer buf, FileChannel out, CRC32 crc) throws IOException {
        buf.flip();
        crc.update(buf.duplicate());
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    private Path scratchFile(String what) {
        return scratchDir.resolve(".spatial-index-" + what + "-" + UUID.randomUUID() + ".scratch");
    }

    private MemmapException scratchFailure(IOException e) {
        return new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Cannot create or map scratch files in " + scratchDir + ": " + e, e);
    }

    @Override
    public void close() {
        try {
            records.close();
        } catch (IOException e) {
            throw scratchFailure(e);
        }
    }
}
