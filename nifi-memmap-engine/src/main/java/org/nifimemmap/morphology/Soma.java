package org.nifimemmap.morphology;

/**
 * The soma: its type and points ({@code points} holds x,y,z triples, {@code diameters} one value a point).
 * Arrays are owned by this record; callers must not modify them.
 */
public record Soma(SomaType type, float[] points, float[] diameters) {
    public Soma {
        if (points.length != 3 * diameters.length) {
            throw new IllegalArgumentException("soma has " + points.length + " coordinates for "
                    + diameters.length + " diameters");
        }
    }

    public int pointCount() {
        return diameters.length;
    }
}
