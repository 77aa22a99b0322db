package org.nifimemmap.sonata.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nifimemmap.index.partition.PartitionPlanner;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.morphology.Morphology;

/**
 * A partition build emits a cell's elements that lie in its region (soma by centre, segment by midpoint) and places
 * only the sections whose bounding sphere meets it. The pruning must never drop an element: what it emits equals
 * every element filtered afterwards, and a plan's regions hold each element exactly once.
 */
class RegionFilteredElementsTest {
    /** An element as emitted: node, section, segment (-1 for the soma) and its stored coordinates. */
    private record Element(long node, int section, int segment, List<Float> xyz) {
        double[] key() {
            return section == 0 && segment == -1 ? new double[] {xyz.get(0), xyz.get(1), xyz.get(2)}
                    : new double[] {((double) xyz.get(0) + xyz.get(3)) / 2, ((double) xyz.get(1) + xyz.get(4)) / 2,
                            ((double) xyz.get(2) + xyz.get(5)) / 2};
        }
    }

    private static final class Recorder implements CellElements.Sink {
        final List<Element> elements = new ArrayList<>();

        @Override
        public void soma(long nodeId, float x, float y, float z, float radius) {
            elements.add(new Element(nodeId, 0, -1, List.of(x, y, z)));
        }

        @Override
        public void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
            elements.add(new Element(nodeId, sectionId, segmentId, List.of(x1, y1, z1, x2, y2, z2)));
        }
    }

    private static Morphology circuit10Morphology() {
        Path circuit10 = NodePopulationReaderTest.sonata("circuit-10");
        MorphologyLocator locator = MorphologyLocator.directory(circuit10.resolve("morphologies/ascii"), 4);
        try (NodePopulationReader reader = new NodePopulationReader(circuit10.resolve("nodes.h5"), "All")) {
            return locator.load(reader.read(0, 1).getFirst());
        }
    }

    @Test
    void pruningKeepsExactlyTheElementsWhoseKeyPointLiesInTheRegion() {
        Morphology m = circuit10Morphology();
        SectionSpheres spheres = SectionSpheres.of(m);
        Random random = new Random(17);
        int pruned = 0;
        for (int cell = 0; cell < 40; cell++) {
            NodePlacement node = randomCell(random, cell);
            Recorder all = new Recorder();
            CellElements.emit(m, node, all);
            for (int r = 0; r < 6; r++) {
                Region region = randomRegion(random, node);
                Recorder kept = new Recorder();
                long n = CellElements.emit(m, node, kept, region, spheres);
                List<Element> expected = all.elements.stream().filter(e -> contains(region, e.key())).toList();
                assertEquals(expected, kept.elements, "cell " + cell + " region " + region);
                assertEquals(expected.size(), n);
                if (!spheres.cellMeets(node, region)) {
                    assertTrue(expected.isEmpty(), "a cell whose sphere misses the region has no element in it");
                    pruned++;
                }
            }
        }
        assertTrue(pruned > 0, "some regions lie beyond a cell's reach");
    }

    @Test
    void thePlannedRegionsHoldEveryElementOnce() {
        Morphology m = circuit10Morphology();
        SectionSpheres spheres = SectionSpheres.of(m);
        Random random = new Random(23);
        List<NodePlacement> cells = new ArrayList<>();
        float[] somas = new float[3 * 30];
        for (int i = 0; i < 30; i++) {
            NodePlacement node = randomCell(random, i);
            cells.add(node);
            somas[3 * i] = (float) node.x();
            somas[3 * i + 1] = (float) node.y();
            somas[3 * i + 2] = (float) node.z();
        }
        List<Region> regions = PartitionPlanner.plan(somas, 30, 5);
        for (NodePlacement node : cells) {
            Recorder all = new Recorder();
            CellElements.emit(m, node, all);
            Recorder parts = new Recorder();
            for (Region region : regions) {
                if (spheres.cellMeets(node, region)) {
                    CellElements.emit(m, node, parts, region, spheres);
                }
            }
            assertEquals(all.elements.size(), parts.elements.size(), "node " + node.nodeId());
            assertEquals(new java.util.HashSet<>(all.elements), new java.util.HashSet<>(parts.elements));
        }
    }

    private static NodePlacement randomCell(Random random, long id) {
        double[] q = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
        double norm = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
        return new NodePlacement(id, 2000 + random.nextDouble() * 600, -300 + random.nextDouble() * 600,
                random.nextDouble() * 600, Rotation.fromQuaternion(q[0] / norm, q[1] / norm, q[2] / norm, q[3] / norm), "m");
    }

    /** Boxes around the cell of every size, some with open faces, some far away. */
    private static Region randomRegion(Random random, NodePlacement node) {
        double[] lo = new double[3];
        double[] hi = new double[3];
        double[] at = {node.x(), node.y(), node.z()};
        double reach = random.nextInt(4) == 0 ? 5000 : 300;
        for (int a = 0; a < 3; a++) {
            double c = at[a] + (random.nextDouble() * 2 - 1) * reach;
            double half = random.nextDouble() * random.nextDouble() * 400;
            lo[a] = random.nextInt(8) == 0 ? Double.NEGATIVE_INFINITY : c - half;
            hi[a] = random.nextInt(8) == 0 ? Double.POSITIVE_INFINITY : c + half;
        }
        return new Region(lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]);
    }

    private static boolean contains(Region region, double[] p) {
        return region.contains(p[0], p[1], p[2]);
    }
}
