package org.nifimemmap.index;

/**
 * Intersection tests in double precision. Rules follow brain-indexer (docs/accuracy.rst, geometries.hpp):
 * cylinder boxes are exact, cylinder-vs-sphere is exact, cylinder-vs-box uses the capsule around the axis.
 * Our capsule-vs-box is exact (minimum of the piecewise-quadratic squared distance from the axis segment to
 * the box) where brain-indexer checks the caps, the twelve box edges and the axis.
 */
final class Geometry {
    private Geometry() {
    }

    /** Writes the exact minimal box of the cylinder p1-p2 of radius r into out[0..6). */
    static void cylinderBox(double x1, double y1, double z1, double x2, double y2, double z2, double r, double[] out) {
        double dx = x2 - x1, dy = y2 - y1, dz = z2 - z1;
        double len2 = dx * dx + dy * dy + dz * dz;
        double ex, ey, ez;
        if (len2 == 0) {
            ex = ey = ez = r;
        } else {
            // The cap disc's extent along an axis is r * sin(angle between cylinder axis and that axis).
            ex = r * Math.sqrt(Math.max(0, 1 - dx * dx / len2));
            ey = r * Math.sqrt(Math.max(0, 1 - dy * dy / len2));
            ez = r * Math.sqrt(Math.max(0, 1 - dz * dz / len2));
        }
        out[0] = Math.min(x1, x2) - ex;
        out[1] = Math.min(y1, y2) - ey;
        out[2] = Math.min(z1, z2) - ez;
        out[3] = Math.max(x1, x2) + ex;
        out[4] = Math.max(y1, y2) + ey;
        out[5] = Math.max(z1, z2) + ez;
    }

    static boolean boxesMeet(double[] a, double bx0, double by0, double bz0, double bx1, double by1, double bz1) {
        return a[0] <= bx1 && a[3] >= bx0 && a[1] <= by1 && a[4] >= by0 && a[2] <= bz1 && a[5] >= bz0;
    }

    /** Squared distance from a point to a box (0 inside). */
    static double pointBoxDistance2(double px, double py, double pz,
                                    double x0, double y0, double z0, double x1, double y1, double z1) {
        double dx = px < x0 ? x0 - px : (px > x1 ? px - x1 : 0);
        double dy = py < y0 ? y0 - py : (py > y1 ? py - y1 : 0);
        double dz = pz < z0 ? z0 - pz : (pz > z1 ? pz - z1 : 0);
        return dx * dx + dy * dy + dz * dz;
    }

    /** Sphere (centre c, radius s) against cylinder p1-p2 of radius r: exact, closest point on the lateral surface or a cap disc. */
    static boolean sphereMeetsCylinder(double cx, double cy, double cz, double s,
                                       double x1, double y1, double z1, double x2, double y2, double z2, double r) {
        double vx = x2 - x1, vy = y2 - y1, vz = z2 - z1;
        double ux = cx - x1, uy = cy - y1, uz = cz - z1;
        double vv = vx * vx + vy * vy + vz * vz;
        if (vv == 0) {
            double d2 = ux * ux + uy * uy + uz * uz;
            return d2 <= (s + r) * (s + r);
        }
        double vu = vx * ux + vy * uy + vz * uz;
        double uu = ux * ux + uy * uy + uz * uz;
        if (vu >= 0 && vu <= vv) {
            double axis2 = Math.max(0, uu - vu * vu / vv);
            return axis2 <= (s + r) * (s + r);
        }
        // Beyond a cap: distance to the cap disc, split into the part along the axis and the part across it.
        double len = Math.sqrt(vv);
        double along = vu < 0 ? -vu / len : (vu - vv) / len;
        double across = Math.sqrt(Math.max(0, uu - vu * vu / vv));
        double outside = Math.max(0, across - r);
        return along * along + outside * outside <= s * s;
    }

    /** Squared distance between the segment p1-p2 and a box, exactly: minimum over the convex piecewise quadratic in t. */
    static double segmentBoxDistance2(double x1, double y1, double z1, double x2, double y2, double z2,
                                      double bx0, double by0, double bz0, double bx1, double by1, double bz1) {
        double[] p = {x1, y1, z1};
        double[] d = {x2 - x1, y2 - y1, z2 - z1};
        double[] lo = {bx0, by0, bz0};
        double[] hi = {bx1, by1, bz1};
        double[] ts = new double[8];
        int n = 0;
        ts[n++] = 0;
        ts[n++] = 1;
        for (int a = 0; a < 3; a++) {
            if (d[a] != 0) {
                double t0 = (lo[a] - p[a]) / d[a];
                double t1 = (hi[a] - p[a]) / d[a];
                if (t0 > 0 && t0 < 1) {
                    ts[n++] = t0;
                }
                if (t1 > 0 && t1 < 1) {
                    ts[n++] = t1;
                }
            }
        }
        java.util.Arrays.sort(ts, 0, n);
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < n; i++) {
            double ta = ts[i], tb = ts[i + 1];
            double mid = (ta + tb) / 2;
            // On this piece each axis term is either 0 or (p + t d - bound)^2: a quadratic A t^2 + B t + C.
            double qa = 0, qb = 0, qc = 0;
            for (int a = 0; a < 3; a++) {
                double v = p[a] + mid * d[a];
                double bound = v < lo[a] ? lo[a] : (v > hi[a] ? hi[a] : Double.NaN);
                if (!Double.isNaN(bound)) {
                    double off = p[a] - bound;
                    qa += d[a] * d[a];
                    qb += 2 * d[a] * off;
                    qc += off * off;
                }
            }
            double t = qa > 0 ? Math.min(tb, Math.max(ta, -qb / (2 * qa))) : ta;
            best = Math.min(best, Math.max(0, (qa * t + qb) * t + qc));
            best = Math.min(best, Math.max(0, (qa * ta + qb) * ta + qc));
            best = Math.min(best, Math.max(0, (qa * tb + qb) * tb + qc));
        }
        return best;
    }
}
