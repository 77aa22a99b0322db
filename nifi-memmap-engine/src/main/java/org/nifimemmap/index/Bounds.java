package org.nifimemmap.index;

/** An axis-aligned box; for an empty index all six values are 0. */
public record Bounds(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) {
    public static final Bounds EMPTY = new Bounds(0, 0, 0, 0, 0, 0);

    public double[] toArray() {
        return new double[] {minX, minY, minZ, maxX, maxY, maxZ};
    }
}
