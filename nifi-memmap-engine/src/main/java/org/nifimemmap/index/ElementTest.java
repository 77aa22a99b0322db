package org.nifimemmap.index;

import java.nio.ByteBuffer;

/** Whether one element, read from its record, meets a query shape at the requested accuracy. */
final class ElementTest {
    private ElementTest() {
    }

    static boolean matches(ElementType type, ByteBuffer w, int o, Query query, double[] box) {
        QueryShape shape = query.shape();
        if (type == ElementType.SYNAPSE) {
            double x = w.getFloat(o), y = w.getFloat(o + 4), z = w.getFloat(o + 8);
            return pointMeets(x, y, z, shape);
        }
        double x1 = w.getFloat(o), y1 = w.getFloat(o + 4), z1 = w.getFloat(o + 8);
        double x2 = w.getFloat(o + 12), y2 = w.getFloat(o + 16), z2 = w.getFloat(o + 20);
        double r = w.getFloat(o + 24);
        if (missesLooseBox(x1, y1, z1, x2, y2, z2, r, shape)) {
            return false;
        }
        return cylinderMeets(x1, y1, z1, x2, y2, z2, r, shape, query.accuracy(), box);
    }

    /**
     * True when the shape misses the box around both end points grown by r, which contains the exact box: most
     * records of a visited leaf are rejected here, before the exact box's three square roots.
     */
    private static boolean missesLooseBox(double x1, double y1, double z1, double x2, double y2, double z2, double r,
                                          QueryShape shape) {
        double x0 = Math.min(x1, x2) - r, y0 = Math.min(y1, y2) - r, z0 = Math.min(z1, z2) - r;
        double xe = Math.max(x1, x2) + r, ye = Math.max(y1, y2) + r, ze = Math.max(z1, z2) + r;
        if (shape instanceof QueryShape.Box b) {
            return x0 > b.maxX() || xe < b.minX() || y0 > b.maxY() || ye < b.minY() || z0 > b.maxZ() || ze < b.minZ();
        }
        QueryShape.Sphere s = (QueryShape.Sphere) shape;
        return Geometry.pointBoxDistance2(s.x(), s.y(), s.z(), x0, y0, z0, xe, ye, ze) > s.radius() * s.radius();
    }

    static boolean pointMeets(double x, double y, double z, QueryShape shape) {
        if (shape instanceof QueryShape.Box b) {
            return x >= b.minX() && x <= b.maxX() && y >= b.minY() && y <= b.maxY() && z >= b.minZ() && z <= b.maxZ();
        }
        QueryShape.Sphere s = (QueryShape.Sphere) shape;
        double dx = x - s.x(), dy = y - s.y(), dz = z - s.z();
        return dx * dx + dy * dy + dz * dz <= s.radius() * s.radius();
    }

    /** A cylinder with p1 == p2 is a sphere (how somas are stored). */
    static boolean cylinderMeets(double x1, double y1, double z1, double x2, double y2, double z2, double r,
                                 QueryShape shape, Accuracy accuracy, double[] box) {
        Geometry.cylinderBox(x1, y1, z1, x2, y2, z2, r, box);
        if (shape instanceof QueryShape.Box b) {
            if (!Geometry.boxesMeet(box, b.minX(), b.minY(), b.minZ(), b.maxX(), b.maxY(), b.maxZ())) {
                return false;
            }
            if (accuracy == Accuracy.BOUNDING_BOX) {
                return true;
            }
            return Geometry.segmentBoxDistance2(x1, y1, z1, x2, y2, z2, b.minX(), b.minY(), b.minZ(),
                    b.maxX(), b.maxY(), b.maxZ()) <= r * r;
        }
        QueryShape.Sphere s = (QueryShape.Sphere) shape;
        double d2 = Geometry.pointBoxDistance2(s.x(), s.y(), s.z(), box[0], box[1], box[2], box[3], box[4], box[5]);
        if (d2 > s.radius() * s.radius()) {
            return false;
        }
        if (accuracy == Accuracy.BOUNDING_BOX) {
            return true;
        }
        return Geometry.sphereMeetsCylinder(s.x(), s.y(), s.z(), s.radius(), x1, y1, z1, x2, y2, z2, r);
    }
}
