package org.nifimemmap.index;

/**
 * Doubles rounded to floats in a chosen direction, for bounds stored or compared as floats: a box rounded outwards
 * still contains what the double box did, and for a float x, {@code x >= d} exactly when {@code x >= up(d)}, and
 * {@code x < d} exactly when {@code x < up(d)}.
 */
public final class FloatRounding {
    private FloatRounding() {
    }

    /** The greatest float not above {@code v}. */
    public static float down(double v) {
        float f = (float) v;
        return f > v ? Math.nextDown(f) : f;
    }

    /** The least float not below {@code v}. */
    public static float up(double v) {
        float f = (float) v;
        return f < v ? Math.nextUp(f) : f;
    }
}
