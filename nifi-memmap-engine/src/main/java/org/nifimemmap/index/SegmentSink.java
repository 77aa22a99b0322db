package org.nifimemmap.index;

/** Receives the elements of a segment index: somas (spheres) and neurite segments (cylinders). */
public interface SegmentSink {
    void addSoma(long gid, float x, float y, float z, float radius);

    /**
     * Adds the cylinder p1-p2 of one radius. {@code sectionId} is MorphIO's section index + 1, {@code segmentId}
     * 0-based within the section, {@code sectionType} the SWC type (2 axon, 3 basal, 4 apical, ...).
     */
    void addSegment(long gid, long sectionId, long segmentId, int sectionType,
                    float x1, float y1, float z1, float x2, float y2, float z2, float radius);
}
