package org.nifimemmap.sonata.nodes;

/**
 * Where one node's cell sits: position, orientation and morphology name.
 *
 * @param nodeId     0-based node id in its population
 * @param morphology morphology name (no extension), or null when the population has none
 */
public record NodePlacement(long nodeId, double x, double y, double z, Rotation rotation, String morphology) {
    /** Places a morphology point: rotate about the cell's origin, then translate to the node position. */
    public void place(double px, double py, double pz, double[] out) {
        rotation.apply(px, py, pz, out);
        out[0] += x;
        out[1] += y;
        out[2] += z;
    }
}
