package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.zip.CRC32;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.Await;
import org.nifimemmap.io.CrcCombine;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The out-of-core build shared by all element types. Records are spilled in a wide scratch layout (8-byte ids)
 * to a scratch file through a staging buffer; at the end they are ordered on a 3-D Hilbert curve of their box
 * centres by a {@link DistributionSort} of (curve key, record number), copied in that order into the index file
 * in their narrowest layout, and the packed R-tree is built bottom-up from them. Heap use is constant: the
 * sort's buckets and histograms and a few I/O buffers.
 */
final class PackedIndexWriter implements AutoCloseable {
    /** An identity or attribute column: its scratch type and the final types to choose from, narrowest first. */
    record Column(String name, FieldType scratchType, List<FieldType> choices) {
    }

    private static final int IO_BUFFER = 1 << 20;
    private static final int SPILL_BUFFER = 2 << 20;
    /**
     * Small enough that a partition's index (~100 MB) is written back while it is built: at 128 MiB, 8 cell
     * partitions each waited ~78 ms in the final force, against ~10 ms now.
     */
    private static final long WRITE_BACK_BYTES = 16L << 20;

    private final ElementType type;
    private final int nodeSize = IndexFormat.DEFAULT_NODE_SIZE;
    private final List<Column> columns;
    private final int[] scratchOffsets;
    private final int scratchRecordSize;
    private final long[] maxima;
    private final FieldType[] scratchTypes;
    /** Columns with more than one final type: the only ones whose maximum decides anything. */
    private final int[] narrowable;
    private final MapBudget budget;
    private final Path scratchDir;
    private final long bucketBytes;
    /** Scratch chunk size; tests that shrink the buckets shrink it too, to an odd size records and entries straddle. */
    private final long chunkBytes;
    private final ScratchFile records;
    private final SpillWriter spillWriter;
    /** Records kept as they are spilled, from which the sort plans its buckets without reading the spill. */
    private final RecordSample sample;
    private ByteBuffer spill;
    private final long countLimit;
    private final double[] centreMin = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
    private final double[] centreMax = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
    private long count;
    private int pending = -1;
    private boolean finished;
    private boolean inputEnded;

    PackedIndexWriter(ElementType type, List<Column> columns, Path scratchDir, long memoryMapSizeBytes, long expectedCount) {
        this(type, columns, scratchDir, memoryMapSizeBytes, expectedCount, DistributionSort.DEFAULT_BUCKET_BYTES);
    }

    /** {@code bucketBytes} below the default makes tests take the sort's multi-level paths with few elements. */
    PackedIndexWriter(ElementType type, List<Column> columns, Path scratchDir, long memoryMapSizeBytes, long expectedCount,
                      long bucketBytes) {
        this.bucketBytes = bucketBytes;
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
        this.scratchTypes = columns.stream().map(Column::scratchType).toArray(FieldType[]::new);
        this.narrowable = java.util.stream.IntStream.range(0, columns.size()).filter(i -> columns.get(i).choices().size() > 1).toArray();
        this.budget = new MapBudget(memoryMapSizeBytes);
        this.scratchDir = scratchDir;
        if (expectedCount > 0) {
            budget.requireTotal(scratchNeed(expectedCount), expectedCount);
        }
        this.countLimit = largestCountWithin(memoryMapSizeBytes);
        this.chunkBytes = bucketBytes < DistributionSort.DEFAULT_BUCKET_BYTES ? Math.max(64, bucketBytes / 2 + 13)
                : ScratchFile.chunkFor(expectedCount > 0 ? scratchNeed(expectedCount) : memoryMapSizeBytes);
        try {
            Files.createDirectories(scratchDir);
        } catch (IOException e) {
            throw scratchFailure(e);
        }
        this.records = new ScratchFile(scratchDir, "records", chunkBytes);
        this.spillWriter = new SpillWriter(records, scratchRecordSize, Math.max(1, SPILL_BUFFER / scratchRecordSize), this::scan);
        this.spill = spillWriter.buffer();
        // Curve keys are computed from the geometry alone, which comes first.
        this.sample = new RecordSample(4 * type.geometryFloats(), DistributionSort.sampleStride(scratchRecordSize, bucketBytes));
    }

    /** Scratch bytes a build of n elements needs: wide records, then the sort's copy with keys, the tree. */
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
        // The records file is reused by the sort once it is distributed, so it too grows to key + record per element.
        return 2 * DistributionSort.scratchNeed(scratchRecordSize, n) + nodes * IndexFormat.NODE_BYTES;
    }

    /** The most elements whose whole build fits the cap, so adding one more fails as it arrives, not at the end. */
    private long largestCountWithin(long capBytes) {
        long lo = 0, hi = Math.max(1, capBytes / scratchRecordSize);
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            if (scratchNeed(mid) <= capBytes) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * No more elements will come: the last spilled records are written and the spill buffers go back to the shared
     * pool, where the sort of another writer built at the same time finds them instead of touching fresh memory.
     */
    void endInput() {
        try {
            finishSpill();
        } catch (IOException e) {
            throw scratchFailure(e);
        }
    }

    private void finishSpill() throws IOException {
        if (!inputEnded) {
            inputEnded = true;
            spillWriter.finish();
        }
    }

    /** The most elements the Memory Map Size holds. */
    long capacity() {
        return countLimit;
    }

    /** Starts a record: returns the spill buffer, positioned at the record's first byte, for relative puts. */
    ByteBuffer begin() {
        if (finished) {
            throw new IllegalStateException("Index already written");
        }
        if (count == countLimit) {
            budget.requireTotal(scratchNeed(count + 1), count + 1);
        }
        if (spill.remaining() < scratchRecordSize) {
            try {
                spill = spillWriter.next();
            } catch (IOException e) {
                throw scratchFailure(e);
            }
        }
        pending = spill.position();
        return spill;
    }

    /** Completes the record begun last. */
    void end() {
        spill.position(pending + scratchRecordSize);
        count++;
        pending = -1;
    }

    /**
     * Tracks the centre bounds, the identity maxima and the sample of a buffer of spilled records, on the spill
     * thread, one buffer after the other: the producing thread is the busiest of a build while it makes elements.
     */
    private void scan(ByteBuffer records) {
        int n = records.limit() / scratchRecordSize;
        scanCentres(records, n);
        // Column by column, each read in a loop of its own type: per record and column through the type's switch,
        // this scan had cost the spill thread about as much as writing the records.
        for (int i : narrowable) {
            maxima[i] = Math.max(maxima[i], scratchTypes[i].max(records, scratchOffsets[i], scratchRecordSize, n));
        }
        sample.offer(records, 0, n, scratchRecordSize);
    }

    /**
     * Widens the centre bounds by the {@code n} records of {@code w}. An element's centre is the point, or the
     * midpoint of a segment's axis, which is also the centre of its box (the box extends the same radius-dependent
     * amount beyond both end points), found without the box's square roots. Curve keys are taken at centres.
     */
    private void scanCentres(ByteBuffer w, int n) {
        double x0 = centreMin[0], y0 = centreMin[1], z0 = centreMin[2];
        double x1 = centreMax[0], y1 = centreMax[1], z1 = centreMax[2];
        boolean points = type == ElementType.SYNAPSE;
        for (int r = 0, at = 0; r < n; r++, at += scratchRecordSize) {
            double x, y, z;
            if (points) {
                x = w.getFloat(at);
                y = w.getFloat(at + 4);
                z = w.getFloat(at + 8);
            } else {
                x = ((double) w.getFloat(at) + w.getFloat(at + 12)) / 2;
                y = ((double) w.getFloat(at + 4) + w.getFloat(at + 16)) / 2;
                z = ((double) w.getFloat(at + 8) + w.getFloat(at + 20)) / 2;
            }
            x0 = Math.min(x0, x);
            y0 = Math.min(y0, y);
            z0 = Math.min(z0, z);
            x1 = Math.max(x1, x);
            y1 = Math.max(y1, y);
            z1 = Math.max(z1, z);
        }
        centreMin[0] = x0;
        centreMin[1] = y0;
        centreMin[2] = z0;
        centreMax[0] = x1;
        centreMax[1] = y1;
        centreMax[2] = z1;
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

    /**
     * Sorts, writes the index file at {@code file} (created; must not exist) and returns what was written. The file is
     * written back to disk as it grows but not forced at the end: the builders commit it through {@code AtomicOutput},
     * which forces it, so a node building several partitions can force one while it sorts the next.
     */
    IndexSummary writeTo(Path file) {
        if (finished) {
            throw new IllegalStateException("Index already written");
        }
        finished = true;
        budget.requireTotal(scratchNeed(count), count);
        // The layout and the keys come from what the spill thread tracks: every record is scanned once input ends.
        try {
            finishSpill();
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(file, e);
        }
        RecordLayout layout = finalLayout();
        long[] levels = IndexFormat.levelCounts(count, nodeSize);
        FileChannel out;
        try {
            out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(file, e);
        }
        int indexBits = indexBits(count);
        int curveBits = Math.min(21, (64 - indexBits) / 3);
        try (out;
             ScratchArray tree = new ScratchArray(scratchFile("tree"), IndexFormat.NODE_BYTES, ScratchArray.DEFAULT_WINDOW)) {
            DistributionSort sort = new DistributionSort(scratchDir, scratchRecordSize, 3 * curveBits + indexBits, indexBits,
                    bucketBytes, chunkBytes, count);
            long nodes = 0;
            for (long c : levels) {
                nodes += c;
            }
            if (nodes > 0) {
                tree.ensure(nodes, budget, scratchNeed(count));
            }
            IndexHeader provisional = new IndexHeader(layout, nodeSize, count, levels, 0, Bounds.EMPTY);
            CRC32 crc = new CRC32();
            ByteBuffer buf = DirectBuffers.SHARED.take(IO_BUFFER);
            TreeLevels treeLevels = new TreeLevels(tree, levels, nodeSize);
            RecordCopier copier = new RecordCopier(layout, sort.bucketCapacity(), treeLevels, out, provisional.recordsOffset());
            try {
                sort.sort(records, count, () -> new CurveKeys(curveBits, indexBits), copier, sample);
            } finally {
                copier.finishWriteBack();
                sample.release();
            }
            Bounds bounds = copier.bounds();
            long recordsEnd = provisional.recordsOffset() + count * layout.recordSize();
            out.position(recordsEnd);
            long pad = provisional.treeOffset() - recordsEnd;
            if (buf.remaining() < pad) {
                flush(buf, out, crc);
            }
            for (int i = 0; i < pad; i++) {
                buf.put((byte) 0);
            }
            treeLevels.finish();
            for (long node = 0; node < nodes; node++) {
                if (buf.remaining() < IndexFormat.NODE_BYTES) {
                    flush(buf, out, crc);
                }
                buf.put(buf.position(), tree.window(node), tree.offset(node), IndexFormat.NODE_BYTES);
                buf.position(buf.position() + IndexFormat.NODE_BYTES);
            }
            flush(buf, out, crc);
            int dataCrc = CrcCombine.combine(CrcCombine.CRC32, copier.crc, (int) crc.getValue(),
                    out.size() - provisional.recordsOffset() - count * layout.recordSize());
            IndexHeader header = new IndexHeader(layout, nodeSize, count, levels, dataCrc, bounds);
            ByteBuffer head = header.encode();
            long at = 0;
            while (head.hasRemaining()) {
                at += out.write(head, at);
            }
            if (out.size() != header.fileLength()) {
                throw new IllegalStateException("Index writer produced " + out.size() + " bytes, header says " + header.fileLength());
            }
            DirectBuffers.SHARED.give(buf);
            copier.release();
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

    /** (Hilbert key of the box centre, quantised over the centres' bounds) << indexBits | record number. */
    private final class CurveKeys implements DistributionSort.Keys {
        private final int bits;
        private final int indexBits;
        private final double cells;
        private final boolean points = type == ElementType.SYNAPSE;
        // The bounds as fields, not arrays: a key is computed per record, and this is a third of what it costs.
        private final double minX = centreMin[0], minY = centreMin[1], minZ = centreMin[2];
        private final double spanX = centreMax[0] - centreMin[0], spanY = centreMax[1] - centreMin[1], spanZ = centreMax[2] - centreMin[2];
        /** Cells of the (up to four) records being keyed: one CurveKeys per worker, so these are its own. */
        private final int[] x = new int[4], y = new int[4], z = new int[4];

        CurveKeys(int bits, int indexBits) {
            this.bits = bits;
            this.indexBits = indexBits;
            this.cells = (1 << bits) - 1;
        }

        @Override
        public long key(ByteBuffer b, int at, long index) {
            cellsAt(b, at, 0);
            return (Hilbert3D.index(x[0], y[0], z[0], bits) << indexBits) | index;
        }

        /** Four records at a time through {@link Hilbert3D#index4}, the rest one by one. */
        @Override
        public void keys(ByteBuffer b, int at, int recordSize, long index, int count, long[] out) {
            int r = 0;
            for (; r + 4 <= count; r += 4) {
                for (int q = 0; q < 4; q++) {
                    cellsAt(b, at + (r + q) * recordSize, q);
                }
                Hilbert3D.index4(x, y, z, bits, out, r);
                for (int q = 0; q < 4; q++) {
                    out[r + q] = out[r + q] << indexBits | (index + r + q);
                }
            }
            for (; r < count; r++) {
                out[r] = key(b, at + r * recordSize, index + r);
            }
        }

        /** The cells of the record at {@code p}'s centre (as {@link #scanCentres}, each coordinate read once) into x, y, z[q]. */
        private void cellsAt(ByteBuffer b, int p, int q) {
            if (points) {
                x[q] = cell(b.getFloat(p), minX, spanX);
                y[q] = cell(b.getFloat(p + 4), minY, spanY);
                z[q] = cell(b.getFloat(p + 8), minZ, spanZ);
            } else {
                x[q] = cell(((double) b.getFloat(p) + b.getFloat(p + 12)) / 2, minX, spanX);
                y[q] = cell(((double) b.getFloat(p + 4) + b.getFloat(p + 16)) / 2, minY, spanY);
                z[q] = cell(((double) b.getFloat(p + 8) + b.getFloat(p + 20)) / 2, minZ, spanZ);
            }
        }

        /** The centre's cell on one axis, clamped to the grid (centres are finite, so there is no NaN to order). */
        private int cell(double c, double min, double span) {
            if (!(span > 0)) {
                return 0;
            }
            double v = (c - min) / span * cells;
            return (int) (v < 0 ? 0 : v > cells ? cells : v);
        }
    }

    /**
     * Copies sorted buckets into the file, narrowing columns, and writes the bottom tree level. Workers convert a
     * bucket into its final bytes and the boxes of the leaf nodes it touches; the writing thread checksums and
     * appends them in order and merges a leaf node that spans two buckets.
     * <p>
     * Every column is an unsigned id (narrowed only when its maximum fits) or kept at its own type, so in little
     * endian a narrowed value is the low bytes of the wide one: each piece is copied as one 8-byte word, and the
     * next piece overwrites what a word wrote past its own end (the buffers keep 8 bytes of slack for that).
     */
    private final class RecordCopier implements DistributionSort.Emitter<RecordCopier.Converted> {
        /** One bucket in its final form. */
        final class Converted {
            final ByteBuffer bytes;
            final double[] nodes;
            final double[] bounds = new double[6];
            long firstNode;
            int nodeCount;
            long end;
            int crc;

            Converted(int capacity) {
                bytes = DirectBuffers.SHARED.take(capacity * recordSize + Long.BYTES);
                nodes = new double[6 * (capacity / nodeSize + 2)];
            }
        }

        private final int recordSize;
        private final int capacity;
        private final TreeLevels levels;
        private final FileChannel out;
        private final long recordsOffset;
        private final int[] from;
        private final int[] to;
        private final double[] all = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        private final double[] openNodeBox = new double[6];
        private long openNode = -1;
        private long written;
        /** CRC-32 of the records written so far: the buckets' own CRCs, joined in file order. */
        private int crc;
        private long bytesWritten;
        private long writeBackFrom;
        private FutureTask<Void> writeBack;
        private final List<Converted> states = new ArrayList<>();

        RecordCopier(RecordLayout layout, int capacity, TreeLevels levels, FileChannel out, long recordsOffset) {
            this.recordSize = layout.recordSize();
            this.capacity = capacity;
            this.levels = levels;
            this.out = out;
            this.recordsOffset = recordsOffset;
            List<Field> fields = layout.fields();
            int geometryBytes = 4 * type.geometryFloats();
            int pieces = (geometryBytes + 7) / 8 + columns.size();
            this.from = new int[pieces];
            this.to = new int[pieces];
            int i = 0;
            for (int g = 0; g < geometryBytes; g += 8, i++) {
                from[i] = g;
                to[i] = g;
            }
            int p = geometryBytes;
            for (int c = 0; c < columns.size(); c++, i++) {
                from[i] = scratchOffsets[c];
                to[i] = p;
                p += fields.get(type.geometryFloats() + c).type().size();
            }
        }

        @Override
        public Converted newState() {
            Converted c = new Converted(capacity);
            states.add(c);
            return c;
        }

        /** Gives the converted buckets' memory back: called once every bucket has been written. */
        void release() {
            for (Converted c : states) {
                DirectBuffers.SHARED.give(c.bytes);
            }
            states.clear();
        }

        /**
         * Converts a bucket and writes it at its place in the file: the workers write the buckets side by side, where
         * one thread writing them all in order was what the sort waited for (the copy into the page cache of a new
         * file is most of the cost of writing it).
         */
        @Override
        public void convert(Converted c, DistributionSort.SortedBucket bucket) throws IOException {
            ByteBuffer w = bucket.data();
            ByteBuffer o = c.bytes.clear();
            int count = bucket.count();
            long first = bucket.first();
            c.firstNode = first / nodeSize;
            c.end = first + count;
            // Two loops: a short one gathering records in key order, whose cache misses overlap, then one reading
            // the geometry back from the output in order, where the boxes' arithmetic waits for nothing. Each is a
            // method of its own: in one method, the JIT compiled this one three times (at each loop's entry, then
            // whole), ~260 ms of compiler time against ~60 ms now, in a build that keeps both cores busy.
            gather(bucket, w, o, count);
            c.nodeCount = leafBoxes(o, count, (int) (first % nodeSize), c.nodes, c.bounds);
            o.clear().limit(count * recordSize);
            CRC32 crc = new CRC32();
            crc.update(o.duplicate());
            c.crc = (int) crc.getValue();
            ByteBuffer bytes = o.duplicate();
            for (long at = recordsOffset + first * recordSize; bytes.hasRemaining(); ) {
                at += out.write(bytes, at);
            }
        }

        /** Copies the bucket's {@code count} records, in key order, into {@code o} in their final layout. */
        private void gather(DistributionSort.SortedBucket bucket, ByteBuffer w, ByteBuffer o, int count) {
            for (int j = 0, p = 0; j < count; j++, p += recordSize) {
                int at = bucket.offset(j);
                for (int i = 0; i < from.length; i++) {
                    o.putLong(p + to[i], w.getLong(at + from[i]));
                }
            }
        }

        /**
         * The boxes of the leaf nodes the {@code count} records in {@code o} fall in, the first record being the
         * {@code inNode}-th of its node, into {@code nodes}, and their union into {@code bounds}; returns how many nodes.
         */
        private int leafBoxes(ByteBuffer o, int count, int inNode, double[] nodes, double[] bounds) {
            double[] element = new double[6];
            int node = -1;
            for (int j = 0, p = 0; j < count; j++, p += recordSize) {
                elementBox(o, p, element);
                if (j == 0 || inNode == 0) {
                    node++;
                    System.arraycopy(element, 0, nodes, 6 * node, 6);
                } else {
                    unionAt(nodes, 6 * node, element);
                }
                if (j == 0) {
                    System.arraycopy(element, 0, bounds, 0, 6);
                } else {
                    union(bounds, element);
                }
                if (++inNode == nodeSize) {
                    inNode = 0;
                }
            }
            return node + 1;
        }

        @Override
        public void consume(Converted c) throws IOException {
            crc = CrcCombine.combine(CrcCombine.CRC32, crc, c.crc, c.bytes.remaining());
            bytesWritten += c.bytes.remaining();
            startWriteBack();
            union(all, c.bounds);
            double[] box = new double[6];
            for (int r = 0; r < c.nodeCount; r++) {
                long node = c.firstNode + r;
                System.arraycopy(c.nodes, 6 * r, box, 0, 6);
                if (node == openNode) {
                    union(box, openNodeBox);
                    openNode = -1;
                }
                boolean complete = r < c.nodeCount - 1 || c.end % nodeSize == 0 || c.end == count;
                if (complete) {
                    levels.leaf(node, box);
                } else {
                    System.arraycopy(box, 0, openNodeBox, 0, 6);
                    openNode = node;
                }
            }
            written = c.end;
        }

        /**
         * Forces what is written so far on a virtual thread (it waits on the disk, not on a core) every
         * {@value #WRITE_BACK_BYTES} bytes, so the disk writes the index while it is still being built and the
         * final force finds little left.
         */
        private void startWriteBack() throws IOException {
            if (bytesWritten - writeBackFrom < WRITE_BACK_BYTES || (writeBack != null && !writeBack.isDone())) {
                return;
            }
            finishWriteBack();
            writeBackFrom = bytesWritten;
            writeBack = new FutureTask<>(() -> {
                out.force(false);
                return null;
            });
            Thread.ofVirtual().name("spatial-index-write-back").start(writeBack);
        }

        void finishWriteBack() throws IOException {
            if (writeBack == null) {
                return;
            }
            Await.result(writeBack, "forcing the index to disk");
            writeBack = null;
        }

        Bounds bounds() {
            if (written != count || openNode >= 0) {
                throw new IllegalStateException("Sort passed on " + written + " of " + count + " records");
            }
            return count == 0 ? Bounds.EMPTY : new Bounds(all[0], all[1], all[2], all[3], all[4], all[5]);
        }
    }

    private static void unionAt(double[] into, int at, double[] b) {
        for (int a = 0; a < 3; a++) {
            into[at + a] = Math.min(into[at + a], b[a]);
            into[at + a + 3] = Math.max(into[at + a + 3], b[a + 3]);
        }
    }

    /** Bits that hold a record number below the curve key. */
    private static int indexBits(long n) {
        return Math.max(1, 64 - Long.numberOfLeadingZeros(n - 1));
    }

    /** Widens box {@code into} (min x, y, z, max x, y, z) to hold box {@code b}. */
    static void union(double[] into, double[] b) {
        for (int a = 0; a < 3; a++) {
            into[a] = Math.min(into[a], b[a]);
            into[a + 3] = Math.max(into[a + 3], b[a + 3]);
        }
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
        spillWriter.abandon();
        sample.release();
        try {
            records.close();
        } catch (IOException e) {
            throw scratchFailure(e);
        }
    }
}
