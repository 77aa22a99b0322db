package org.nifimemmap.index;

/**
 * How exactly an element must meet a query shape (brain-indexer's two modes).
 * {@code BOUNDING_BOX}: the element's exact minimal axis-aligned box meets the shape.
 * {@code BEST_EFFORT}: exact tests for points, spheres and cylinder-vs-sphere; a cylinder meets a box when its
 * exact box meets it and the capsule around its axis meets it.
 */
public enum Accuracy {
    BOUNDING_BOX, BEST_EFFORT;

    public static Accuracy parse(String value) {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
