package org.nifimemmap.index;

import static org.nifimemmap.index.IndexFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** The header of an index file: everything needed to find and interpret records and tree nodes. */
public record IndexHeader(RecordLayout layout, int nodeSize, long elementCount, long[] levelCounts, int dataCrc,
                          Bounds bounds) {

    /** Nodes per tree level, level 0 (over the records) first; a copy. */
    @Override
    public long[] levelCounts() {
        return levelCounts.clone();
    }

    public int headerSize() {
        return IndexFormat.headerSize(layout.fields().size());
    }

    public long nodeCount() {
        long sum = 0;
        for (long c : levelCounts) {
            sum += c;
        }
        return sum;
    }

    public long recordsOffset() {
        return headerSize();
    }

    public long treeOffset() {
        return align8(recordsOffset() + elementCount * layout.recordSize());
    }

    public long fileLength() {
        return treeOffset() + nodeCount() * NODE_BYTES;
    }

    /** Index (in the tree section, counted in nodes) of the first node of a level. */
    public long levelStart(int level) {
        long start = 0;
        for (int i = 0; i < level; i++) {
            start += levelCounts[i];
        }
        return start;
    }

    ByteBuffer encode() {
        int size = headerSize();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, MAGIC);
        b.putInt(OFF_VERSION, VERSION);
        b.putInt(OFF_HEADER_SIZE, size);
        b.putInt(OFF_ELEMENT_TYPE, layout.elementType().code());
        b.putInt(OFF_RECORD_SIZE, layout.recordSize());
        b.putInt(OFF_NODE_SIZE, nodeSize);
        b.putInt(OFF_FIELD_COUNT, layout.fields().size());
        b.putLong(OFF_ELEMENT_COUNT, elementCount);
        b.putLong(OFF_NODE_COUNT, nodeCount());
        b.putInt(OFF_LEVEL_COUNT, levelCounts.length);
        b.putInt(OFF_DATA_CRC, dataCrc);
        double[] bb = bounds.toArray();
        for (int i = 0; i < 6; i++) {
            b.putDouble(OFF_BOUNDS + 8 * i, bb[i]);
        }
        b.putLong(OFF_RECORDS, recordsOffset());
        b.putLong(OFF_TREE, treeOffset());
        b.putLong(OFF_FILE_LENGTH, fileLength());
        for (int i = 0; i < levelCounts.length; i++) {
            b.putLong(OFF_LEVELS + 8 * i, levelCounts[i]);
        }
        int at = FIXED_HEADER;
        for (Field f : layout.fields()) {
            byte[] name = f.name().getBytes(StandardCharsets.US_ASCII);
            b.put(at, name);
            b.put(at + FIELD_NAME_BYTES, f.type().numpy().getBytes(StandardCharsets.US_ASCII));
            b.putInt(at + FIELD_NAME_BYTES + 4, f.offset());
            at += FIELD_ENTRY;
        }
        b.putInt(at, crc(b, 0, at));
        return b;
    }

    static int crc(ByteBuffer b, int from, int to) {
        CRC32 crc = new CRC32();
        crc.update(b.duplicate().position(from).limit(to));
        return (int) crc.getValue();
    }

    /** Reads and checks a header; {@code head} holds at least the first min(file length, header size) bytes. */
    static IndexHeader decode(ByteBuffer head, Path file, long fileLength) {
        head = head.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (fileLength < FIXED_HEADER + 4) {
            throw corrupt(file, 0, "file is " + fileLength + " bytes, shorter than the " + (FIXED_HEADER + 4) + "-byte header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head.get(i) != MAGIC[i]) {
                throw corrupt(file, 0, "not a nifi-memmap spatial index (bad magic)");
            }
        }
        int version = head.getInt(OFF_VERSION);
        if (version != VERSION) {
            throw corrupt(file, OFF_VERSION, "format version " + version + " is not supported (this reader knows " + VERSION + ")");
        }
        int fieldCount = head.getInt(OFF_FIELD_COUNT);
        if (fieldCount < 1 || fieldCount > MAX_FIELDS) {
            throw corrupt(file, OFF_FIELD_COUNT, "field count " + fieldCount + " out of range 1.." + MAX_FIELDS);
        }
        int headerSize = head.getInt(OFF_HEADER_SIZE);
        if (headerSize != IndexFormat.headerSize(fieldCount) || headerSize > fileLength || headerSize > head.limit()) {
            throw corrupt(file, OFF_HEADER_SIZE, "header size " + headerSize + " does not match " + fieldCount
                    + " fields or exceeds the file length " + fileLength);
        }
        int crcAt = FIXED_HEADER + FIELD_ENTRY * fieldCount;
        int stored = head.getInt(crcAt);
        int actual = crc(head, 0, crcAt);
        if (stored != actual) {
            throw corrupt(file, crcAt, String.format("header checksum mismatch (stored %08x, computed %08x)", stored, actual));
        }
        ElementType type = ElementType.fromCode(head.getInt(OFF_ELEMENT_TYPE));
        if (type == null) {
            throw corrupt(file, OFF_ELEMENT_TYPE, "unknown element type " + head.getInt(OFF_ELEMENT_TYPE));
        }
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < fieldCount; i++) {
            int at = FIXED_HEADER + FIELD_ENTRY * i;
            String name = ascii(head, at, FIELD_NAME_BYTES);
            FieldType ft = FieldType.fromNumpy(ascii(head, at + FIELD_NAME_BYTES, 4));
            if (ft == null) {
                throw corrupt(file, at + FIELD_NAME_BYTES, "field " + name + " has an unknown dtype");
            }
            fields.add(new Field(name, ft, head.getInt(at + FIELD_NAME_BYTES + 4)));
        }
        RecordLayout layout = new RecordLayout(type, fields);
        checkLayout(layout, head.getInt(OFF_RECORD_SIZE), file);
        int nodeSize = head.getInt(OFF_NODE_SIZE);
        if (nodeSize < 2 || nodeSize > 65536) {
            throw corrupt(file, OFF_NODE_SIZE, "node size " + nodeSize + " out of range 2..65536");
        }
        long n = head.getLong(OFF_ELEMENT_COUNT);
        if (n < 0 || n > (fileLength / layout.recordSize())) {
            throw corrupt(file, OFF_ELEMENT_COUNT, "element count " + n + " cannot fit in a file of " + fileLength + " bytes");
        }
        long[] levels = IndexFormat.levelCounts(n, nodeSize);
        if (levels.length > MAX_LEVELS || head.getInt(OFF_LEVEL_COUNT) != levels.length) {
            throw corrupt(file, OFF_LEVEL_COUNT, "level count " + head.getInt(OFF_LEVEL_COUNT) + " does not match "
                    + n + " elements with node size " + nodeSize);
        }
        for (int i = 0; i < levels.length; i++) {
            if (head.getLong(OFF_LEVELS + 8 * i) != levels[i]) {
                throw corrupt(file, OFF_LEVELS + 8 * i, "level " + i + " node count does not match the element count");
            }
        }
        double[] bb = new double[6];
        for (int i = 0; i < 6; i++) {
            bb[i] = head.getDouble(OFF_BOUNDS + 8 * i);
        }
        IndexHeader h = new IndexHeader(layout, nodeSize, n, levels, head.getInt(OFF_DATA_CRC),
                new Bounds(bb[0], bb[1], bb[2], bb[3], bb[4], bb[5]));
        if (head.getLong(OFF_NODE_COUNT) != h.nodeCount() || head.getLong(OFF_RECORDS) != h.recordsOffset()
                || head.getLong(OFF_TREE) != h.treeOffset()) {
            throw corrupt(file, OFF_NODE_COUNT, "section offsets do not match the element count");
        }
        long declared = head.getLong(OFF_FILE_LENGTH);
        if (declared != h.fileLength() || declared != fileLength) {
            throw corrupt(file, OFF_FILE_LENGTH, "file is " + fileLength + " bytes but its header describes "
                    + h.fileLength() + " bytes (truncated or appended to)");
        }
        return h;
    }

    private static void checkLayout(RecordLayout layout, int recordSize, Path file) {
        if (layout.recordSize() != recordSize) {
            throw corrupt(file, OFF_RECORD_SIZE, "record size " + recordSize + " does not match its fields (" + layout.recordSize() + ")");
        }
        List<String> geometry = RecordLayout.geometryNames(layout.elementType());
        for (int i = 0; i < geometry.size(); i++) {
            Field f = layout.field(geometry.get(i));
            if (f == null || f.type() != FieldType.F32 || f.offset() != 4 * i) {
                throw corrupt(file, FIXED_HEADER, "geometry field " + geometry.get(i) + " missing or misplaced");
            }
        }
        for (String id : RecordLayout.idNames(layout.elementType())) {
            Field f = layout.field(id);
            if (f == null || !RecordLayout.allowedIdTypes(id).contains(f.type())) {
                throw corrupt(file, FIXED_HEADER, "identity field " + id + " missing or of a wrong type");
            }
        }
        for (Field f : layout.fields()) {
            if (f.offset() < 0 || f.offset() + f.type().size() > recordSize) {
                throw corrupt(file, FIXED_HEADER, "field " + f.name() + " lies outside the record");
            }
        }
    }

    private static String ascii(ByteBuffer b, int at, int len) {
        byte[] raw = new byte[len];
        b.get(at, raw);
        int end = 0;
        while (end < len && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    static MemmapException corrupt(Path file, long offset, String what) {
        return new MemmapException(ErrorKind.INVALID_INPUT, "Spatial index " + file + " is corrupt at byte " + offset + ": " + what);
    }
}
