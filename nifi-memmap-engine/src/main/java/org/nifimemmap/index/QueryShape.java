package org.nifimemmap.index;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** The region a query asks about. */
public sealed interface QueryShape {

    /** The smallest axis-aligned box around the shape; the tree is pruned with it. */
    Bounds bounds();

    /** An axis-aligned box, given by any two opposite corners. */
    record Box(double minX, double minY, double minZ, double maxX, double maxY, double maxZ) implements QueryShape {
        public Box {
            requireFinite(minX, minY, minZ, maxX, maxY, maxZ);
            if (minX > maxX || minY > maxY || minZ > maxZ) {
                throw new IllegalArgumentException("Box min corner must not exceed max corner; use Box.corners");
            }
        }

        public static Box corners(double x1, double y1, double z1, double x2, double y2, double z2) {
            requireFinite(x1, y1, z1, x2, y2, z2);
            return new Box(Math.min(x1, x2), Math.min(y1, y2), Math.min(z1, z2),
                    Math.max(x1, x2), Math.max(y1, y2), Math.max(z1, z2));
        }

        @Override
        public Bounds bounds() {
            return new Bounds(minX, minY, minZ, maxX, maxY, maxZ);
        }
    }

    /** A ball: every point within {@code radius} of the centre. */
    record Sphere(double x, double y, double z, double radius) implements QueryShape {
        public Sphere {
            requireFinite(x, y, z, radius);
            if (radius < 0) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sphere radius must not be negative: " + radius);
            }
        }

        @Override
        public Bounds bounds() {
            return new Bounds(x - radius, y - radius, z - radius, x + radius, y + radius, z + radius);
        }
    }

    private static void requireFinite(double... values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Query shape coordinates must be finite numbers, got " + v);
            }
        }
    }
}
