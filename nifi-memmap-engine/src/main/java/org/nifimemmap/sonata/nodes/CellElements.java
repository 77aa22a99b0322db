package org.nifimemmap.sonata.nodes;

import org.nifimemmap.index.partition.Region;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.Section;
import org.nifimemmap.morphology.Soma;

/**
 * Turns one placed cell into the elements a segment index holds, following BlueBrain SpatialIndex:
 * one soma sphere (centroid of the soma points plus the node position, not rotated; radius the largest
 * distance from the centroid to a soma point) and one cylinder per consecutive point pair of each
 * section, its end points rotated then translated, its radius the mean of the two end radii.
 * Ids: {@code section_id} is the MorphIO section index + 1 (0 is the soma), {@code segment_id} counts
 * from 0 within the section. Coordinates are computed in double and handed out as float32.
 */
public final class CellElements {
    /** Receives the elements of a cell, soma first, then segments in section and point order. */
    public interface Sink {
        void soma(long nodeId, float x, float y, float z, float radius);

        void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                float x1, float y1, float z1, float x2, float y2, float z2, float radius);
    }

    private CellElements() {
    }

    /** Emits the cell's elements; a cell without soma points emits no soma. Returns how many it emitted. */
    public static long emit(Morphology morphology, NodePlacement node, Sink sink) {
        return emit(morphology, node, sink, null, null);
    }

    /**
     * Emits the cell's elements that lie in {@code region} (all when null): the soma by its centre, a segment by its
     * midpoint, both as stored (float), so the regions of a partition plan hold every element exactly once. Sections
     * whose sphere misses the region are not placed.
     */
    public static long emit(Morphology morphology, NodePlacement node, Sink sink, Region region, SectionSpheres spheres) {
        long count = 0;
        Soma soma = morphology.soma();
        int n = soma.pointCount();
        if (n > 0) {
            float[] p = soma.points();
            double cx = 0;
            double cy = 0;
            double cz = 0;
            for (int i = 0; i < n; i++) {
                cx += p[3 * i];
                cy += p[3 * i + 1];
                cz += p[3 * i + 2];
            }
            cx /= n;
            cy /= n;
            cz /= n;
            double radius = 0;
            for (int i = 0; i < n; i++) {
                double dx = p[3 * i] - cx;
                double dy = p[3 * i + 1] - cy;
                double dz = p[3 * i + 2] - cz;
                radius = Math.max(radius, Math.sqrt(dx * dx + dy * dy + dz * dz));
            }
            float x = (float) (cx + node.x());
            float y = (float) (cy + node.y());
            float z = (float) (cz + node.z());
            if (region == null || region.contains(x, y, z)) {
                sink.soma(node.nodeId(), x, y, z, (float) radius);
                count++;
            }
        }
        double[] a = new double[3];
        double[] b = new double[3];
        for (Section s : morphology.sections()) {
            float[] p = s.points();
            float[] d = s.diameters();
            if (d.length < 2 || region != null && !spheres.sectionMeets(s.id(), node, region, b)) {
                continue;
            }
            node.place(p[0], p[1], p[2], b);
            for (int i = 1; i < d.length; i++) {
                double[] t = a;
                a = b;
                b = t;
                node.place(p[3 * i], p[3 * i + 1], p[3 * i + 2], b);
                float x1 = (float) a[0];
                float y1 = (float) a[1];
                float z1 = (float) a[2];
                float x2 = (float) b[0];
                float y2 = (float) b[1];
                float z2 = (float) b[2];
                if (region != null && !region.contains(((double) x1 + x2) / 2, ((double) y1 + y2) / 2, ((double) z1 + z2) / 2)) {
                    continue;
                }
                float radius = (float) ((d[i - 1] + (double) d[i]) / 4);
                sink.segment(node.nodeId(), s.id() + 1, i - 1, s.type(), x1, y1, z1, x2, y2, z2, radius);
                count++;
            }
        }
        return count;
    }
}
