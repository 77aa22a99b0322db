package org.nifimemmap.index;

/**
 * What the records of an index are. Each type fixes the geometry columns at the start of its record:
 * a synapse is a point (x, y, z); a segment-index element is a capsule-like cylinder
 * (x1, y1, z1, x2, y2, z2, radius), where a soma is stored with p1 == p2.
 */
public enum ElementType {
    SYNAPSE(1, 3),
    SEGMENT(2, 7);

    private final int code;
    private final int geometryFloats;

    ElementType(int code, int geometryFloats) {
        this.code = code;
        this.geometryFloats = geometryFloats;
    }

    public int code() {
        return code;
    }

    /** Number of float32 geometry values at the start of every record. */
    public int geometryFloats() {
        return geometryFloats;
    }

    public static ElementType fromCode(int code) {
        for (ElementType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
