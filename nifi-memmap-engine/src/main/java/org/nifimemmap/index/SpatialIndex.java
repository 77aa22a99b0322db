package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.zip.CRC32;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A spatial index file opened by mapping it. Opening reads and checks only the header (constant time); queries
 * walk the mapped tree and records in place. All reads are absolute, nothing is mutated after opening, so one
 * instance serves concurrent queries from many threads.
 */
public final class SpatialIndex implements AutoCloseable {
    /** The file format version this reader reads and the writers write. */
    public static final int FORMAT_VERSION = IndexFormat.VERSION;
    private final Path file;
    private final IndexHeader header;
    private final RecordLayout layout;
    private final MappedRegion records;
    private final MappedRegion tree;
    private final long[] levelStarts;
    private final long[] levelCounts;
    private final int nodeSize;
    private final long count;
    private final FileChannel channel;

    private SpatialIndex(Path file, IndexHeader header, MappedRegion records, MappedRegion tree, FileChannel channel) {
        this.file = file;
        this.header = header;
        this.layout = header.layout();
        this.records = records;
        this.tree = tree;
        this.nodeSize = header.nodeSize();
        this.count = header.elementCount();
        this.levelCounts = header.levelCounts();
        this.levelStarts = new long[levelCounts.length];
        for (int i = 0; i < levelStarts.length; i++) {
            levelStarts[i] = header.levelStart(i);
        }
        this.channel = channel;
    }

    /** Maps and checks an index file; with {@code verifyData} also checks the data checksum (reads the whole file). */
    public static SpatialIndex open(Path file, boolean verifyData) {
        return open(file, verifyData, MappedRegion.MAX_WINDOW);
    }

    /** As {@link #open(Path, boolean)} with smaller mapping windows, so tests cover window crossings on small files. */
    static SpatialIndex open(Path file, boolean verifyData, long windowBytes) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Spatial index file does not exist: " + file, e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot open spatial index " + file + ": " + e, e);
        }
        try {
            long length = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(length, IndexFormat.headerSize(IndexFormat.MAX_FIELDS)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining()) {
                if (ch.read(head, head.position()) < 0) {
                    break;
                }
            }
            head.flip();
            IndexHeader header = IndexHeader.decode(head, file, length);
            MappedRegion records = MappedRegion.map(ch, FileChannel.MapMode.READ_ONLY, header.recordsOffset(),
                    header.elementCount(), header.layout().recordSize(), windowBytes);
            MappedRegion tree = MappedRegion.map(ch, FileChannel.MapMode.READ_ONLY, header.treeOffset(),
                    header.nodeCount(), IndexFormat.NODE_BYTES, windowBytes);
            SpatialIndex index = new SpatialIndex(file, header, records, tree, ch);
            if (verifyData) {
                index.verify();
            }
            return index;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read spatial index " + file + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Reads every byte after the header and compares its CRC-32 with the header's; throws when they differ. */
    public void verify() {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(1 << 20);
        try {
            long at = header.headerSize();
            long end = header.fileLength();
            while (at < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - at));
                int read = channel.read(buf, at);
                if (read < 0) {
                    throw IndexHeader.corrupt(file, at, "file ended early");
                }
                buf.flip();
                crc.update(buf);
                at += read;
            }
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read spatial index " + file + ": " + e, e);
        }
        if ((int) crc.getValue() != header.dataCrc()) {
            throw IndexHeader.corrupt(file, header.headerSize(), String.format(
                    "data checksum mismatch (stored %08x, computed %08x)", header.dataCrc(), (int) crc.getValue()));
        }
    }

    public Path file() {
        return file;
    }

    public IndexHeader header() {
        return header;
    }

    public RecordLayout layout() {
        return layout;
    }

    public ElementType elementType() {
        return layout.elementType();
    }

    public long count() {
        return count;
    }

    public Bounds bounds() {
        return header.bounds();
    }

    /** The named column, or an INVALID_CONFIG error listing the columns this index has. */
    public Field field(String name) {
        Field f = layout.field(name);
        if (f == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Spatial index " + file + " has no column '" + name
                    + "'; it has " + layout.fields().stream().map(Field::name).toList());
        }
        return f;
    }

    public long getLong(long record, Field f) {
        return f.type().getLong(records.window(record), records.offset(record) + f.offset());
    }

    public double getDouble(long record, Field f) {
        return f.type().getDouble(records.window(record), records.offset(record) + f.offset());
    }

    /** Calls {@code visitor} with the record number of every element meeting the query; returns how many did. */
    public long query(Query query, LongConsumer visitor) {
        try {
            return walkTree(query, visitor);
        } catch (InternalError e) {
            // The JVM turns a fault in a mapped page (the file truncated after it was opened) into an InternalError.
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Index " + file + " could not be read (truncated or"
                    + " rewritten after it was opened?): " + e.getMessage(), e);
        }
    }

    private long walkTree(Query query, LongConsumer visitor) {
        if (count == 0) {
            return 0;
        }
        Bounds q = query.shape().bounds();
        QueryShape.Sphere sphere = query.shape() instanceof QueryShape.Sphere s ? s : null;
        double[] box = new double[6];
        int levels = levelStarts.length;
        long[] stack = new long[levels * nodeSize + 1];
        int[] stackLevel = new int[stack.length];
        int top = 0;
        stack[top] = 0;
        stackLevel[top++] = levels - 1;
        long matches = 0;
        while (top > 0) {
            long node = stack[--top];
            int level = stackLevel[top];
            long at = levelStarts[level] + node;
            ByteBuffer w = tree.window(at);
            int o = tree.offset(at);
            float x0 = w.getFloat(o), y0 = w.getFloat(o + 4), z0 = w.getFloat(o + 8);
            float x1 = w.getFloat(o + 12), y1 = w.getFloat(o + 16), z1 = w.getFloat(o + 20);
            if (x0 > q.maxX() || x1 < q.minX() || y0 > q.maxY() || y1 < q.minY() || z0 > q.maxZ() || z1 < q.minZ()) {
                continue;
            }
            if (sphere != null && Geometry.pointBoxDistance2(sphere.x(), sphere.y(), sphere.z(), x0, y0, z0, x1, y1, z1)
                    > sphere.radius() * sphere.radius()) {
                continue;
            }
            long first = node * nodeSize;
            if (level == 0) {
                long last = Math.min(count, first + nodeSize);
                for (long r = first; r < last; r++) {
                    if (matches(r, query, box)) {
                        matches++;
                        visitor.accept(r);
                    }
                }
            } else {
                long last = Math.min(levelCounts[level - 1], first + nodeSize);
                for (long c = last - 1; c >= first; c--) {
                    stack[top] = c;
                    stackLevel[top++] = level - 1;
                }
            }
        }
        return matches;
    }

    /** Tests every record without the tree: the baseline queries are measured against, and a cross-check. */
    public long scan(Query query, LongConsumer visitor) {
        double[] box = new double[6];
        long matches = 0;
        for (long r = 0; r < count; r++) {
            if (matches(r, query, box)) {
                matches++;
                visitor.accept(r);
            }
        }
        return matches;
    }

    public long count(Query query) {
        return query(query, r -> { });
    }

    /** Matching synapses counted per post_gid, in post_gid order. */
    public SortedMap<Long, Long> countByPostGid(Query query) {
        if (elementType() != ElementType.SYNAPSE) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Counting by post_gid needs a synapse index; " + file
                    + " holds " + elementType().name().toLowerCase(java.util.Locale.ROOT) + " elements");
        }
        Field post = field("post_gid");
        SortedMap<Long, Long> counts = new TreeMap<>();
        query(query, r -> counts.merge(getLong(r, post), 1L, Long::sum));
        return counts;
    }

    /** The element test, usable on its own: does record {@code r} meet the query? */
    public boolean matches(long r, Query query) {
        return matches(r, query, new double[6]);
    }

    private boolean matches(long r, Query query, double[] box) {
        ByteBuffer w = records.window(r);
        int o = records.offset(r);
        return ElementTest.matches(layout.elementType(), w, o, query, box);
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // Closing a read-only channel loses nothing; the mappings stay valid until collected.
        }
    }
}
