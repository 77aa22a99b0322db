package org.nifimemmap.morphology;

/**
 * One unbranched piece of neurite, as MorphIO numbers it.
 *
 * @param id        index of the section in MorphIO's order (depth-first per neurite, neurites in file
 *                  order for SWC and ASC; file order for H5)
 * @param type      MorphIO section type (1 soma, 2 axon, 3 basal dendrite, 4 apical dendrite, 5..19 custom)
 * @param parentId  parent section id, or -1 for a neurite's root section
 * @param points    x,y,z triples; a child's first point repeats its parent's last point where MorphIO keeps one
 * @param diameters one diameter a point
 */
public record Section(int id, int type, int parentId, float[] points, float[] diameters) {
    public Section {
        if (points.length != 3 * diameters.length) {
            throw new IllegalArgumentException("section " + id + " has " + points.length
                    + " coordinates for " + diameters.length + " diameters");
        }
    }

    public int pointCount() {
        return diameters.length;
    }

    /** Consecutive point pairs: the cylinders a spatial index holds for this section. */
    public int segmentCount() {
        return Math.max(0, diameters.length - 1);
    }
}
