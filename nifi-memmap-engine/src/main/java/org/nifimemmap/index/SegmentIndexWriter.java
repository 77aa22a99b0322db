package org.nifimemmap.index;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Builds a segment index: somas and segments in one file, told apart by the {@code kind} column. */
public final class SegmentIndexWriter implements SegmentSink, AutoCloseable {
    private final PackedIndexWriter core;

    private SegmentIndexWriter(PackedIndexWriter core) {
        this.core = core;
    }

    /** See {@link SynapseIndexWriter#create}; {@code expectedCount} counts somas plus segments, 0 if unknown. */
    public static SegmentIndexWriter create(Path scratchDir, long memoryMapSizeBytes, long expectedCount) {
        return create(scratchDir, memoryMapSizeBytes, expectedCount, DistributionSort.DEFAULT_BUCKET_BYTES);
    }

    static SegmentIndexWriter create(Path scratchDir, long memoryMapSizeBytes, long expectedCount, long bucketBytes) {
        return new SegmentIndexWriter(new PackedIndexWriter(ElementType.SEGMENT, columns(), scratchDir, memoryMapSizeBytes, expectedCount,
                bucketBytes));
    }

    /** Mapped scratch bytes (the Memory Map Size) a build of {@code elements} somas and segments needs. */
    public static long mapBytesNeeded(long elements) {
        return PackedIndexWriter.scratchNeed(ElementType.SEGMENT, columns(), elements);
    }

    private static List<PackedIndexWriter.Column> columns() {
        List<PackedIndexWriter.Column> columns = new ArrayList<>();
        columns.add(new PackedIndexWriter.Column("gid", FieldType.U64, RecordLayout.allowedIdTypes("gid")));
        columns.add(new PackedIndexWriter.Column("section_id", FieldType.U32, RecordLayout.allowedIdTypes("section_id")));
        columns.add(new PackedIndexWriter.Column("segment_id", FieldType.U32, RecordLayout.allowedIdTypes("segment_id")));
        columns.add(new PackedIndexWriter.Column("section_type", FieldType.U8, List.of(FieldType.U8)));
        columns.add(new PackedIndexWriter.Column(RecordLayout.KIND, FieldType.U8, List.of(FieldType.U8)));
        return columns;
    }

    @Override
    public void addSoma(long gid, float x, float y, float z, float radius) {
        check(gid, 0, 0, 1, radius, Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z));
        ByteBuffer w = core.begin();
        w.putFloat(x).putFloat(y).putFloat(z).putFloat(x).putFloat(y).putFloat(z).putFloat(radius)
                .putLong(gid).putInt(0).putInt(0).put((byte) 1).put(RecordLayout.KIND_SOMA);
        core.end();
    }

    @Override
    public void addSegment(long gid, long sectionId, long segmentId, int sectionType,
                           float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
        check(gid, sectionId, segmentId, sectionType, radius, Float.isFinite(x1) && Float.isFinite(y1) && Float.isFinite(z1)
                && Float.isFinite(x2) && Float.isFinite(y2) && Float.isFinite(z2));
        ByteBuffer w = core.begin();
        w.putFloat(x1).putFloat(y1).putFloat(z1).putFloat(x2).putFloat(y2).putFloat(z2).putFloat(radius)
                .putLong(gid).putInt((int) sectionId).putInt((int) segmentId).put((byte) sectionType).put(RecordLayout.KIND_SEGMENT);
        core.end();
    }

    /** Coordinates come as one flag: a per-element varargs array was the build's only allocation. */
    private static void check(long gid, long sectionId, long segmentId, int sectionType, float radius, boolean finite) {
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
