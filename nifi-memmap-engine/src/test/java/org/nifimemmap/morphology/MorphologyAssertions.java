package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;

/** Comparisons phrased like MorphIO's tests (points as rows, connectivity as parent -> children). */
final class MorphologyAssertions {
    private MorphologyAssertions() {
    }

    static void assertPoints(float[][] expected, float[] actual) {
        float[] flat = new float[expected.length * 3];
        for (int i = 0; i < expected.length; i++) {
            System.arraycopy(expected[i], 0, flat, 3 * i, 3);
        }
        assertArrayEquals(flat, actual);
    }

    static Map<Integer, List<Integer>> connectivity(Morphology m) {
        Map<Integer, List<Integer>> c = new TreeMap<>();
        for (Section s : m.sections()) {
            c.computeIfAbsent(s.parentId(), k -> new ArrayList<>()).add(s.id());
        }
        return c;
    }

    static void assertSectionOffsets(int[] expected, Morphology m) {
        int[] offsets = new int[m.sections().size() + 1];
        for (int i = 0; i < m.sections().size(); i++) {
            offsets[i + 1] = offsets[i] + m.sections().get(i).pointCount();
        }
        assertArrayEquals(expected, offsets);
    }

    static int[] types(List<Section> sections) {
        return sections.stream().mapToInt(Section::type).toArray();
    }

    static void assertSimpleCell(Morphology m) {
        // MorphIO test_4_immut.py test_section_offsets / test_connectivity, shared by simple.swc/.asc/.h5
        assertSectionOffsets(new int[] {0, 2, 4, 6, 8, 10, 12}, m);
        assertEquals(Map.of(-1, List.of(0, 3), 0, List.of(1, 2), 3, List.of(4, 5)), connectivity(m));
        assertArrayEquals(new int[] {3, 3, 3, 2, 2, 2}, types(m.sections()));
    }
}
