package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.circuit.SegmentIndexResult;
import org.nifimemmap.sonata.nodes.CellElements;
import org.nifimemmap.sonata.nodes.MorphologyLocator;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * A segment index built from a real circuit answers box and sphere queries, at both accuracies, exactly as a
 * brute-force test of every placed soma and segment does (the oracle is the element test applied to the elements
 * as the cell placement emits them, not to what the index stored).
 */
class SegmentIndexQueryPropertyTest {
    private static final Path CIRCUIT10 = Path.of(System.getProperty("memmap.fixtures", "../fixtures"))
            .toAbsolutePath().normalize().resolve("sonata/circuit-10");

    @TempDir
    Path out;

    /** One placed element: geometry and its ids. */
    private record Element(String key, double x1, double y1, double z1, double x2, double y2, double z2, double r) {
    }

    @Test
    void queriesOnCircuit10EqualBruteForceOverPlacedElements() {
        Path morphologies = CIRCUIT10.resolve("morphologies/ascii");
        SegmentIndexResult built = SegmentIndexBuilder.build(
                SegmentIndexRequest.ofNodesFile(CIRCUIT10.resolve("nodes.h5"), morphologies, out, 64L << 20)).get(0);
        List<Element> elements = placedElements(CIRCUIT10.resolve("nodes.h5"), morphologies);
        assertEquals(built.elements(), elements.size());

        Random rnd = new Random(17);
        double[] box = new double[6];
        int nonEmpty = 0;
        int differ = 0;
        int somaHits = 0;
        try (SpatialIndex index = SpatialIndex.open(built.indexFile(), true)) {
            Field gid = index.field("gid"), section = index.field("section_id"), segment = index.field("segment_id"), kind = index.field("kind");
            Bounds b = index.bounds();
            for (int q = 0; q < 600; q++) {
                // Mostly near a random element (neurites fill a small part of the bounds), sometimes anywhere.
                Element near = elements.get(rnd.nextInt(elements.size()));
                double cx = near.x1() + rnd.nextGaussian() * 8, cy = near.y1() + rnd.nextGaussian() * 8, cz = near.z1() + rnd.nextGaussian() * 8;
                if (q % 10 == 1) {
                    cx = b.minX() + rnd.nextDouble() * (b.maxX() - b.minX());
                    cy = b.minY() + rnd.nextDouble() * (b.maxY() - b.minY());
                    cz = b.minZ() + rnd.nextDouble() * (b.maxZ() - b.minZ());
                }
                if (q % 5 == 0) {
                    // Around a soma, so soma spheres are hit and missed at their rims.
                    Element soma = elements.get(rnd.nextInt(10) * 2199);
                    cx = soma.x1() + rnd.nextGaussian() * soma.r();
                    cy = soma.y1() + rnd.nextGaussian() * soma.r();
                    cz = soma.z1() + rnd.nextGaussian() * soma.r();
                }
                double size = rnd.nextInt(5) == 0 ? rnd.nextDouble() * 150 : rnd.nextDouble() * 12;
                QueryShape shape = rnd.nextBoolean()
                        ? QueryShape.Box.corners(cx - size * rnd.nextDouble(), cy - size * rnd.nextDouble(), cz - size * rnd.nextDouble(),
                        cx + size * rnd.nextDouble(), cy + size * rnd.nextDouble(), cz + size * rnd.nextDouble())
                        : new QueryShape.Sphere(cx, cy, cz, size / 2);
                Set<String> boundingBox = null;
                for (Accuracy accuracy : Accuracy.values()) {
                    Query query = new Query(shape, accuracy);
                    Set<String> expected = new HashSet<>();
                    for (Element e : elements) {
                        if (ElementTest.cylinderMeets(e.x1(), e.y1(), e.z1(), e.x2(), e.y2(), e.z2(), e.r(), shape, accuracy, box)) {
                            expected.add(e.key());
                        }
                    }
                    Set<String> actual = new HashSet<>();
                    long reported = index.query(query, r -> actual.add(index.getLong(r, gid) + "/" + index.getLong(r, section) + "/"
                            + index.getLong(r, segment) + "/" + index.getLong(r, kind)));
                    assertEquals(expected, actual, accuracy + " " + shape);
                    assertEquals(expected.size(), reported);
                    nonEmpty += expected.isEmpty() ? 0 : 1;
                    somaHits += (int) expected.stream().filter(k -> k.endsWith("/0")).count();
                    if (boundingBox == null) {
                        boundingBox = expected;
                    } else {
                        assertTrue(boundingBox.containsAll(expected), "best effort is a subset of bounding box");
                        differ += boundingBox.size() != expected.size() ? 1 : 0;
                    }
                }
            }
        }
        assertTrue(nonEmpty > 400, "queries must hit elements: " + nonEmpty);
        assertTrue(somaHits > 50, "queries must hit somas: " + somaHits);
        assertTrue(differ > 30, "best effort must prune some bounding-box hits: " + differ);
    }

    private static List<Element> placedElements(Path nodes, Path morphologies) {
        List<Element> elements = new ArrayList<>();
        MorphologyLocator locator = MorphologyLocator.directory(morphologies, 4);
        CellElements.Sink sink = new CellElements.Sink() {
            @Override
            public void soma(long nodeId, float x, float y, float z, float radius) {
                elements.add(new Element(nodeId + "/0/0/" + RecordLayout.KIND_SOMA, x, y, z, x, y, z, radius));
            }

            @Override
            public void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                                float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
                elements.add(new Element(nodeId + "/" + sectionId + "/" + segmentId + "/" + RecordLayout.KIND_SEGMENT,
                        x1, y1, z1, x2, y2, z2, radius));
            }
        };
        try (NodePopulationReader reader = new NodePopulationReader(nodes, "All")) {
            reader.forEach(NodeSelection.all(), node -> CellElements.emit(locator.load(node), node, sink));
        }
        return elements;
    }
}
