package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The geometric tests against sampled ground truth and hand-checked cases. */
class GeometryTest {

    @Test
    void cylinderBoxIsExact() {
        double[] b = new double[6];
        // Along x: the caps are discs in the y-z plane, so x extent is the endpoints only.
        Geometry.cylinderBox(0, 0, 0, 10, 0, 0, 2, b);
        assertEquals(0, b[0], 1e-12);
        assertEquals(10, b[3], 1e-12);
        assertEquals(-2, b[1], 1e-12);
        assertEquals(2, b[5], 1e-12);
        // Zero length: a sphere.
        Geometry.cylinderBox(1, 1, 1, 1, 1, 1, 3, b);
        assertEquals(-2, b[0], 1e-12);
        assertEquals(4, b[5], 1e-12);
    }

    @Test
    void segmentBoxDistanceMatchesDenseSampling() {
        Random rnd = new Random(7);
        for (int i = 0; i < 3000; i++) {
            double[] p = new double[6];
            for (int k = 0; k < 6; k++) {
                p[k] = rnd.nextDouble() * 20 - 10;
            }
            double bx = rnd.nextDouble() * 10 - 5, by = rnd.nextDouble() * 10 - 5, bz = rnd.nextDouble() * 10 - 5;
            double w = rnd.nextDouble() * 4;
            double exact = Geometry.segmentBoxDistance2(p[0], p[1], p[2], p[3], p[4], p[5], bx, by, bz, bx + w, by + w, bz + w);
            double sampled = Double.POSITIVE_INFINITY;
            for (int s = 0; s <= 20000; s++) {
                double t = s / 20000.0;
                sampled = Math.min(sampled, Geometry.pointBoxDistance2(p[0] + t * (p[3] - p[0]), p[1] + t * (p[4] - p[1]),
                        p[2] + t * (p[5] - p[2]), bx, by, bz, bx + w, by + w, bz + w));
            }
            assertTrue(exact <= sampled + 1e-9, "exact must not exceed any sample");
            assertEquals(Math.sqrt(sampled), Math.sqrt(exact), 2e-3, "case " + i);
        }
    }

    @Test
    void sphereCylinderIsExactAgainstSurfaceSampling() {
        Random rnd = new Random(11);
        int agree = 0;
        for (int i = 0; i < 300; i++) {
            double x1 = rnd.nextDouble() * 10, y1 = rnd.nextDouble() * 10, z1 = rnd.nextDouble() * 10;
            double x2 = rnd.nextDouble() * 10, y2 = rnd.nextDouble() * 10, z2 = rnd.nextDouble() * 10;
            double r = 0.2 + rnd.nextDouble() * 2;
            double cx = rnd.nextDouble() * 16 - 3, cy = rnd.nextDouble() * 16 - 3, cz = rnd.nextDouble() * 16 - 3;
            double dist = distanceToSolidCylinder(cx, cy, cz, x1, y1, z1, x2, y2, z2, r);
            // Radii 0.3 away from the boundary: more than the sampling error (< 0.25 here).
            double s = dist + (rnd.nextBoolean() ? 0.3 : -0.3);
            if (s < 0) {
                continue;
            }
            assertEquals(dist <= s, Geometry.sphereMeetsCylinder(cx, cy, cz, s, x1, y1, z1, x2, y2, z2, r), "case " + i);
            agree++;
        }
        assertTrue(agree > 150);
        assertFalse(Geometry.sphereMeetsCylinder(0, 0, 12.5, 2, 0, 0, 0, 0, 0, 10, 1), "beyond the cap");
        assertTrue(Geometry.sphereMeetsCylinder(1.5, 0, 10.5, 1, 0, 0, 0, 0, 0, 10, 1), "near the rim: ~0.71 from it");
        assertFalse(Geometry.sphereMeetsCylinder(1.6, 0, 10.6, 0.8, 0, 0, 0, 0, 0, 10, 1), "capsule would say yes, cylinder no");
    }

    /** Minimum distance from a point to a solid cylinder, by sampling the cylinder's axis, radius and angle. */
    private static double distanceToSolidCylinder(double px, double py, double pz, double x1, double y1, double z1,
                                                  double x2, double y2, double z2, double r) {
        double[] a = {x2 - x1, y2 - y1, z2 - z1};
        double len = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        double[] u = {a[0] / len, a[1] / len, a[2] / len};
        double[] helper = Math.abs(u[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
        double[] e1 = cross(u, helper);
        double n1 = Math.sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
        e1 = new double[] {e1[0] / n1, e1[1] / n1, e1[2] / n1};
        double[] e2 = cross(u, e1);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 100; i++) {
            double t = i / 100.0;
            for (int j = 0; j <= 10; j++) {
                double rr = r * j / 10.0;
                for (int k = 0; k < 72; k++) {
                    double ang = 2 * Math.PI * k / 72;
                    double qx = x1 + t * a[0] + rr * (Math.cos(ang) * e1[0] + Math.sin(ang) * e2[0]);
                    double qy = y1 + t * a[1] + rr * (Math.cos(ang) * e1[1] + Math.sin(ang) * e2[1]);
                    double qz = z1 + t * a[2] + rr * (Math.cos(ang) * e1[2] + Math.sin(ang) * e2[2]);
                    best = Math.min(best, Math.sqrt((qx - px) * (qx - px) + (qy - py) * (qy - py) + (qz - pz) * (qz - pz)));
                }
            }
        }
        return best;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
}
