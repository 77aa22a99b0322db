package org.nifimemmap.sonata.nodes;

import org.nifimemmap.index.partition.Region;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.Section;

/**
 * Bounding spheres of a morphology in its own coordinates: one per section, and one about the cell's origin holding
 * every point. Placing a cell rotates and translates it, which keeps distances, so a placed section lies inside its
 * placed sphere. A partition build places only the sections whose sphere meets its region, and skips a cell whose
 * whole sphere misses it, instead of placing every point of every cell to test each segment.
 */
public final class SectionSpheres {
    /**
     * Slack on every radius for the float rounding of placed coordinates (half an ulp, ~6e-8 of the coordinate) and
     * of the rotation, in relative and absolute terms; a sphere a little too large only places a section for nothing.
     */
    private static final double RELATIVE_SLACK = 1e-5;
    private static final double ABSOLUTE_SLACK = 1e-3;

    /** Centre x, y, z and radius of each section, by section id. */
    private final double[] spheres;
    /** The largest distance of any point (soma included) from the cell's origin, the node position once placed. */
    private final double reach;

    private SectionSpheres(double[] spheres, double reach) {
        this.spheres = spheres;
        this.reach = reach;
    }

    public static SectionSpheres of(Morphology morphology) {
        double[] spheres = new double[4 * morphology.sections().size()];
        double reach = farthest(morphology.soma().points(), 0, 0, 0);
        for (Section s : morphology.sections()) {
            float[] p = s.points();
            int k = 4 * s.id();
            if (p.length == 0) {
                continue; // no points, no segments: its sphere is never asked for
            }
            double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
            double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
            for (int i = 0; i < p.length; i++) {
                lo[i % 3] = Math.min(lo[i % 3], p[i]);
                hi[i % 3] = Math.max(hi[i % 3], p[i]);
            }
            for (int a = 0; a < 3; a++) {
                spheres[k + a] = (lo[a] + hi[a]) / 2;
            }
            spheres[k + 3] = farthest(p, spheres[k], spheres[k + 1], spheres[k + 2]);
            reach = Math.max(reach, farthest(p, 0, 0, 0));
        }
        return new SectionSpheres(spheres, reach);
    }

    /** Whether any element of the cell placed at {@code node} can lie in {@code region}. */
    public boolean cellMeets(NodePlacement node, Region region) {
        return meets(region, node.x(), node.y(), node.z(), reach);
    }

    /** Whether any point of section {@code sectionId} placed at {@code node} can lie in {@code region}. */
    public boolean sectionMeets(int sectionId, NodePlacement node, Region region, double[] scratch) {
        int k = 4 * sectionId;
        node.place(spheres[k], spheres[k + 1], spheres[k + 2], scratch);
        return meets(region, scratch[0], scratch[1], scratch[2], spheres[k + 3]);
    }

    private static boolean meets(Region region, double x, double y, double z, double radius) {
        double dx = gap(x, region.minX(), region.maxX());
        double dy = gap(y, region.minY(), region.maxY());
        double dz = gap(z, region.minZ(), region.maxZ());
        double largest = Math.max(Math.abs(x), Math.max(Math.abs(y), Math.abs(z)));
        double r = radius + RELATIVE_SLACK * (largest + radius) + ABSOLUTE_SLACK;
        return dx * dx + dy * dy + dz * dz <= r * r;
    }

    /** Distance from {@code v} to [min, max] on one axis; infinite faces give 0 on their side. */
    private static double gap(double v, double min, double max) {
        return v < min ? min - v : v > max ? v - max : 0;
    }

    private static double farthest(float[] xyz, double cx, double cy, double cz) {
        double d2 = 0;
        for (int i = 0; i + 2 < xyz.length; i += 3) {
            double dx = xyz[i] - cx;
            double dy = xyz[i + 1] - cy;
            double dz = xyz[i + 2] - cz;
            d2 = Math.max(d2, dx * dx + dy * dy + dz * dz);
        }
        return Math.sqrt(d2);
    }
}
