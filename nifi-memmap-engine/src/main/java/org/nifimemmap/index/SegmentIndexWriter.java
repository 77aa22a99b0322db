package org.nifimemmap.index;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Builds a segment index: somas and segments in one file, told apart by the {@code kind} column. */
public final class SegmentIndexWriter implements SegmentSink, AutoCloseable {
    /** The columns with 8-byte node ids: what the Memory Map Size is checked against, once per cell of a build. */
    private static final List<PackedIndexWriter.Column> WIDE_COLUMNS = columns(Long.MAX_VALUE);

    private final PackedIndexWriter core;
    /** Node ids are below this; when it is at most 2^32 they spill as 4 bytes instead of 8. */
    private final long gidLimit;

    private SegmentIndexWriter(PackedIndexWriter core, long gidLimit) {
        this.core = core;
        this.gidLimit = gidLimit;
    }

    /** See {@link SynapseIndexWriter#create}; {@code expectedCount} counts somas plus segments, 0 if unknown. */
    public static SegmentIndexWriter create(Path scratchDir, long memoryMapSizeBytes, long expectedCount) {
        return create(scratchDir, memoryMapSizeBytes, expectedCount, DistributionSort.DEFAULT_BUCKET_BYTES);
    }

    /**
     * As {@link #create(Path, long, long)} for node ids below {@code gidLimit} (a population's size): ids below 2^32
     * spill in 4 bytes instead of 8, about a tenth less scratch to write and read.
     */
    public static SegmentIndexWriter forPopulation(Path scratchDir, long memoryMapSizeBytes, long expectedCount, long gidLimit) {
        return create(scratchDir, memoryMapSizeBytes, expectedCount, DistributionSort.DEFAULT_BUCKET_BYTES, gidLimit);
    }

    static SegmentIndexWriter create(Path scratchDir, long memoryMapSizeBytes, long expectedCount, long bucketBytes) {
        return create(scratchDir, memoryMapSizeBytes, expectedCount, bucketBytes, Long.MAX_VALUE);
    }

    static SegmentIndexWriter create(Path scratchDir, long memoryMapSizeBytes, long expectedCount, long bucketBytes, long gidLimit) {
        return new SegmentIndexWriter(new PackedIndexWriter(ElementType.SEGMENT, columns(gidLimit), scratchDir, memoryMapSizeBytes,
                expectedCount, bucketBytes), gidLimit);
    }

    /** Mapped scratch bytes (the Memory Map Size) a build of {@code elements} somas and segments needs. */
    public static long mapBytesNeeded(long elements) {
        return PackedIndexWriter.scratchNeed(ElementType.SEGMENT, WIDE_COLUMNS, elements);
    }

    private static List<PackedIndexWriter.Column> columns(long gidLimit) {
        List<PackedIndexWriter.Column> columns = new ArrayList<>();
        columns.add(new PackedIndexWriter.Column("gid", narrowGids(gidLimit) ? FieldType.U32 : FieldType.U64,
                RecordLayout.allowedIdTypes("gid")));
        columns.add(new PackedIndexWriter.Column("section_id", FieldType.U32, RecordLayout.allowedIdTypes("section_id")));
        columns.add(new PackedIndexWriter.Column("segment_id", FieldType.U32, RecordLayout.allowedIdTypes("segment_id")));
        columns.add(new PackedIndexWriter.Column("section_type", FieldType.U8, List.of(FieldType.U8)));
        columns.add(new PackedIndexWriter.Column(RecordLayout.KIND, FieldType.U8, List.of(FieldType.U8)));
        return columns;
    }

    private static boolean narrowGids(long gidLimit) {
        return gidLimit <= 1L << 32;
    }

    private void putGid(ByteBuffer w, long gid) {
        if (narrowGids(gidLimit)) {
            w.putInt((int) gid);
        } else {
            w.putLong(gid);
        }
    }

    @Override
    public void addSoma(long gid, float x, float y, float z, float radius) {
        check(gid, 0, 0, 1, radius, Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z));
        ByteBuffer w = core.begin();
        w.putFloat(x).putFloat(y).putFloat(z).putFloat(x).putFloat(y).putFloat(z).putFloat(radius);
        putGid(w, gid);
        w.putInt(0).putInt(0).put((byte) 1).put(RecordLayout.KIND_SOMA);
        core.end();
    }

    @Override
    public void addSegment(long gid, long sectionId, long segmentId, int sectionType,
                           float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
        check(gid, sectionId, segmentId, sectionType, radius, Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(z1)
                && Float.isFinite(x2) && Float.isFinite(y2) && Float.isFinite(z2));
        ByteBuffer w = core.begin();
        w.putFloat(x1).putFloat(y1).putFloat(z1).putFloat(x2).putFloat(y2).putFloat(z2).putFloat(radius);
        putGid(w, gid);
        w.putInt((int) sectionId).putInt((int) segmentId).put((byte) sectionType).put(RecordLayout.KIND_SEGMENT);
        core.end();
    }

    /** Coordinates come as one flag: a per-element varargs array was the build's only allocation. */
    private void check(long gid, long sectionId, long segmentId, int sectionType, float radius, boolean finite) {
        if (gid >= gidLimit) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Node id " + gid + " is not below the population's size " + gidLimit);
        }
        if (!finite) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Node " + gid + " section " + sectionId + " segment "
                    + segmentId + " has a non-finite coordinate");
        }
        if (!(radius >= 0) || !Float.isFinite(radius)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Node " + gid + " section " + sectionId + " segment "
                    + segmentId + " has an invalid radius " + radius);
        }
        if (gid < 0 || !FieldType.U32.holds(sectionId) || !FieldType.U32.holds(segmentId) || !FieldType.U8.holds(sectionType)) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Node " + gid + ": ids out of range (section " + sectionId
                    + ", segment " + segmentId + ", section type " + sectionType + ")");
        }
    }

    /** The most elements the Memory Map Size holds. */
    public long capacity() {
        return core.capacity();
    }

    public long count() {
        return core.count();
    }

    public IndexSummary writeTo(Path file) {
        return core.writeTo(file);
    }

    @Override
    public void close() {
        core.close();
    }
}
