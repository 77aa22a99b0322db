package org.nifimemmap.sonata.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.Section;

class CellElementsTest {
    private record Segment(long node, int section, int segment, int type, float[] p1, float[] p2, float radius) {
    }

    private static final class Recorder implements CellElements.Sink {
        final List<float[]> somas = new ArrayList<>();
        final List<Segment> segments = new ArrayList<>();

        @Override
        public void soma(long nodeId, float x, float y, float z, float radius) {
            somas.add(new float[] {nodeId, x, y, z, radius});
        }

        @Override
        public void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
            segments.add(new Segment(nodeId, sectionId, segmentId, sectionType, new float[] {x1, y1, z1},
                    new float[] {x2, y2, z2}, radius));
        }
    }

    /** Every element of a population, as upstream SpatialIndex counts them. */
    private static long countElements(Path nodes, String population, MorphologyLocator locator) {
        long[] total = {0};
        try (NodePopulationReader reader = new NodePopulationReader(nodes, population)) {
            reader.forEach(NodeSelection.all(), node ->
                    total[0] += CellElements.emit(locator.load(node), node, new Recorder()));
        }
        return total[0];
    }

    @Test
    void upstreamElementCounts() {
        // fixtures README: circuit-10 indexes as 21,990 elements; usecase1 as 13,632 from SWC or ASC
        Path circuit10 = NodePopulationReaderTest.sonata("circuit-10");
        assertEquals(21_990, countElements(circuit10.resolve("nodes.h5"), "All",
                MorphologyLocator.directory(circuit10.resolve("morphologies/ascii"), 4)));
        Path usecase = NodePopulationReaderTest.sonata("usecases");
        Path morphologies = usecase.resolve("components/CircuitA/morphologies");
        assertEquals(13_632, countElements(usecase.resolve("usecase1/nodes.h5"), "nodeA",
                MorphologyLocator.directory(morphologies.resolve("swc"), List.of("swc"), 4)));
        assertEquals(13_632, countElements(usecase.resolve("usecase1/nodes.h5"), "nodeA",
                MorphologyLocator.directory(morphologies.resolve("asc"), List.of("asc"), 4)));
    }

    @Test
    void placementMatchesQuaternionRotationToFloat32() {
        Path circuit10 = NodePopulationReaderTest.sonata("circuit-10");
        MorphologyLocator locator = MorphologyLocator.directory(circuit10.resolve("morphologies/ascii"), 4);
        NodePlacement node;
        double[] q;
        try (NodePopulationReader reader = new NodePopulationReader(circuit10.resolve("nodes.h5"), "All")) {
            node = reader.read(3, 1).get(0);
        }
        // The same node's quaternion, read independently with h5py: nodes/All/0/orientation_{w,x,y,z}[3]
        q = quaternion(circuit10.resolve("nodes.h5"), 3);
        Morphology m = locator.load(node);
        Recorder r = new Recorder();
        CellElements.emit(m, node, r);

        assertEquals(1, r.somas.size());
        assertEquals(m.segmentCount(), r.segments.size());
        Section section = m.sections().get(2);
        Segment third = r.segments.stream().filter(s -> s.section() == 3 && s.segment() == 1).findFirst().orElseThrow();
        assertEquals(section.type(), third.type());
        float[] p = section.points();
        double[] expected = rotate(q, p[6], p[7], p[8]);
        for (int k = 0; k < 3; k++) {
            double e = expected[k] + new double[] {node.x(), node.y(), node.z()}[k];
            assertEquals((float) e, third.p2()[k], Math.ulp((float) e), "coordinate " + k);
        }
        assertEquals((section.diameters()[1] + section.diameters()[2]) / 4, third.radius(), 1e-6f);

        // soma: centroid + position, not rotated; radius = farthest soma point
        float[] sp = m.soma().points();
        int n = m.soma().pointCount();
        double cx = 0;
        for (int i = 0; i < n; i++) {
            cx += sp[3 * i];
        }
        cx /= n;
        assertEquals((float) (cx + node.x()), r.somas.get(0)[1], Math.ulp((float) (cx + node.x())));
        assertTrue(r.somas.get(0)[4] > 0);
        // segment ids restart at 0 in every section; section ids start at 1
        assertEquals(1, r.segments.get(0).section());
        assertEquals(0, r.segments.get(0).segment());
    }

    @Test
    void somaSphereAndSegmentsOfASmallCell() {
        Morphology m = new org.nifimemmap.morphology.SwcReader().parse("t", """
                1 1 0 0 0 1 -1
                2 1 2 0 0 1 1
                3 3 0 1 0 0.5 1
                4 3 0 2 0 1.5 3
                5 3 0 3 0 1.5 4
                """);
        NodePlacement node = new NodePlacement(42, 100, 200, 300, Rotation.fromEuler(0, 0, Math.PI / 2), "t");
        Recorder r = new Recorder();
        assertEquals(3, CellElements.emit(m, node, r));
        // centroid (1, 0, 0) + position, unrotated; radius 1
        assertEquals(List.of(42f, 101f, 200f, 300f, 1f), List.of(r.somas.get(0)[0], r.somas.get(0)[1],
                r.somas.get(0)[2], r.somas.get(0)[3], r.somas.get(0)[4]));
        Segment first = r.segments.get(0);
        assertEquals(1, first.section());
        assertEquals(0, first.segment());
        assertEquals(3, first.type());
        // (0,1,0) turned 90 degrees about z is (-1,0,0)
        assertEquals(99f, first.p1()[0], 1e-5f);
        assertEquals(200f, first.p1()[1], 1e-5f);
        assertEquals(98f, first.p2()[0], 1e-5f);
        assertEquals(1.0f, first.radius()); // SWC radii 0.5 and 1.5: their mean
        assertEquals(1, r.segments.get(1).segment());
    }

    private static double[] quaternion(Path nodes, int row) {
        try (io.jhdf.HdfFile f = new io.jhdf.HdfFile(nodes)) {
            double[] q = new double[4];
            String[] names = {"w", "x", "y", "z"};
            for (int i = 0; i < 4; i++) {
                q[i] = ((double[]) f.getDatasetByPath("/nodes/All/0/orientation_" + names[i]).getData())[row];
            }
            return q;
        }
    }

    /** v' = v + 2w(u × v) + 2 u × (u × v) for the normalised quaternion (w, u). */
    private static double[] rotate(double[] q, double x, double y, double z) {
        double norm = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        double w = q[0] / norm;
        double ux = q[1] / norm;
        double uy = q[2] / norm;
        double uz = q[3] / norm;
        double cx = uy * z - uz * y;
        double cy = uz * x - ux * z;
        double cz = ux * y - uy * x;
        double ccx = uy * cz - uz * cy;
        double ccy = uz * cx - ux * cz;
        double ccz = ux * cy - uy * cx;
        return new double[] {x + 2 * (w * cx + ccx), y + 2 * (w * cy + ccy), z + 2 * (w * cz + ccz)};
    }
}
