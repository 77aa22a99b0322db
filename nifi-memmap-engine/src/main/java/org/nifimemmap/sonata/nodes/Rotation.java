package org.nifimemmap.sonata.nodes;

/**
 * A 3x3 rotation matrix (row-major) for a node's orientation, built the way bluepysnap builds it:
 * a quaternion is normalised first; SONATA Euler angles (radians) give R = Rx(x) · Ry(y) · Rz(z).
 */
public final class Rotation {
    public static final Rotation IDENTITY = new Rotation(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] m;

    private Rotation(double[] m) {
        this.m = m;
    }

    public static Rotation fromQuaternion(double w, double x, double y, double z) {
        double norm = Math.sqrt(w * w + x * x + y * y + z * z);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            throw new IllegalArgumentException("quaternion (" + w + ", " + x + ", " + y + ", " + z
                    + ") has no direction");
        }
        w /= norm;
        x /= norm;
        y /= norm;
        z /= norm;
        return new Rotation(new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
            2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
            2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)});
    }

    public static Rotation fromEuler(double angleX, double angleY, double angleZ) {
        double c1 = Math.cos(angleX);
        double s1 = Math.sin(angleX);
        double c2 = Math.cos(angleY);
        double s2 = Math.sin(angleY);
        double c3 = Math.cos(angleZ);
        double s3 = Math.sin(angleZ);
        return new Rotation(new double[] {
            c2 * c3, -c2 * s3, s2,
            c1 * s3 + c3 * s1 * s2, c1 * c3 - s1 * s2 * s3, -c2 * s1,
            s1 * s3 - c1 * c3 * s2, c3 * s1 + c1 * s2 * s3, c1 * c2});
    }

    /** Element at row {@code r}, column {@code c}. */
    public double get(int r, int c) {
        return m[3 * r + c];
    }

    /** Writes R·(x, y, z) into {@code out[0..2]}. */
    public void apply(double x, double y, double z, double[] out) {
        out[0] = m[0] * x + m[1] * y + m[2] * z;
        out[1] = m[3] * x + m[4] * y + m[5] * z;
        out[2] = m[6] * x + m[7] * y + m[8] * z;
    }

    public double[] toArray() {
        return m.clone();
    }

    @Override
    public String toString() {
        return java.util.Arrays.toString(m);
    }
}
