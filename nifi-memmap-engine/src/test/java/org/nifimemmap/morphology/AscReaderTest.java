package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nifimemmap.morphology.MorphologyAssertions.assertPoints;
import static org.nifimemmap.morphology.MorphologyAssertions.assertSimpleCell;
import static org.nifimemmap.morphology.MorphologyAssertions.connectivity;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Expectations from MorphIO's tests/test_2_neurolucida.py (and the C++ tests named), per test. */
class AscReaderTest {
    private static Morphology file(String name) {
        return new AscReader().read(Fixtures.morphio(name));
    }

    private static Morphology text(String asc) {
        return new AscReader().parse("$STRING$", asc);
    }

    private static String rejected(String asc) {
        MemmapException e = assertThrows(MemmapException.class, () -> text(asc));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        return e.getMessage();
    }

    private static float[] allPoints(Morphology m) {
        float[] all = new float[3 * m.pointCount()];
        int at = 0;
        for (Section s : m.sections()) {
            System.arraycopy(s.points(), 0, all, at, s.points().length);
            at += s.points().length;
        }
        return all;
    }

    @Test
    void simpleAndItsVariantsWithFontImageCoordsAndSectionsBlocks() {
        // test_4_immut.py test_section_offsets/test_connectivity; test_skip_font, test_skip_imagecoord,
        // test_Sections_block
        Morphology simple = file("simple.asc");
        assertSimpleCell(simple);
        assertEquals(SomaType.SIMPLE_CONTOUR, simple.soma().type());
        assertEquals(4, simple.soma().pointCount());
        for (String variant : List.of("simple-with-font.asc", "simple-with-image-coord.asc", "sections-block.asc")) {
            Morphology m = file(variant);
            assertArrayEquals(allPoints(simple), allPoints(m), variant);
            assertSimpleCell(m);
        }
    }

    @Test
    void markersAreSkippedAndBranchesKept() {
        // test_markers
        Morphology m = file("markers.asc");
        assertEquals(1, m.rootSections().size());
        assertPoints(new float[][] {{-290.87f, -113.09f, -16.32f}, {-290.87f, -113.09f, -16.32f}},
                m.sections().get(0).points());
        assertEquals(Map.of(-1, List.of(0), 0, List.of(1, 2), 2, List.of(3, 4)), connectivity(m));
        assertPoints(new float[][] {{-290.87f, -113.09f, -16.32f}, {-277.14f, -119.13f, -18.02f},
                {-275.54f, -119.99f, -16.67f}}, m.sections().get(1).points());
        assertPoints(new float[][] {{-276.65f, -121.14f, -20.20f}, {-269.77f, -129.47f, -22.57f},
                {-268.17f, -130.62f, -24.75f}, {-266.79f, -131.77f, -26.13f}}, m.sections().get(4).points());
        // test_string_markers, test_marker_with_string
        assertPoints(new float[][] {{-2.87f, -9.24f, -5.06f}, {-2.76f, -10.41f, -5.13f}, {-2.03f, -12.48f, -5.13f},
                {-1.62f, -13.30f, -5.56f}}, file("pia.asc").sections().get(0).points());
        assertEquals(0, file("marker-with-string.asc").sections().size());
    }

    @Test
    void neurolucidaMarkerNamesWithAndWithoutDigits() {
        // test_neurolucida_markers
        Morphology simple = file("simple.asc");
        for (String marker : List.of("Dot", "Plus", "Cross", "Splat", "Flower", "Circle", "TriStar", "OpenStar",
                "Asterisk", "SnowFlake", "OpenCircle", "ShadedStar", "FilledStar", "TexacoStar", "MoneyGreen",
                "DarkYellow", "OpenSquare", "OpenDiamond", "CircleArrow", "CircleCross", "OpenQuadStar",
                "DoubleCircle", "FilledSquare", "MalteseCross", "FilledCircle", "FilledDiamond", "FilledQuadStar",
                "OpenUpTriangle", "FilledUpTriangle", "OpenDownTriangle", "FilledDownTriangle")) {
            for (String suffix : List.of("", "7", "123")) {
                String name = marker + suffix;
                Morphology m = text("(" + name + "\n (Color White)\n (Name \"fat end\")\n (81.58 -77.98 -20.32 0.50)\n)\n"
                        + "((Color Red) (CellBody) (-1 0 0 2) (1 0 0 2))\n"
                        + "(" + name + " (Color White) (Name \"fat end\") (51.58 -77.78 -24.32 0.52))\n"
                        + "((Dendrite) (0 0 0 2) (0 5 0 2) ((-5 5 0 3) | (6 5 0 3)))\n"
                        + "((Axon) (0 0 0 2) (0 -4 0 2) ((6 -4 0 4) | (-5 -4 0 4)))\n");
                assertArrayEquals(allPoints(simple), allPoints(m), name);
            }
        }
    }

    @Test
    void spinesAreSkipped() {
        // test_spine
        Morphology m = file("spine.asc");
        assertEquals(1, m.rootSections().size());
        assertPoints(new float[][] {{3.22f, -1.15f, 150}, {5.84f, -2.17f, 150}, {9.34f, -3.81f, 150},
                {9.99f, -4.00f, 150}, {11.38f, -4.62f, 150}, {12.55f, -5.16f, 150}, {13.75f, -5.96f, 150}},
                m.sections().get(0).points());
    }

    @Test
    void depthFirstNumbering() {
        // test_4_immut.py test_iter: breadth-first ids 0,7,1,4,8,9,2,3,5,6
        Morphology m = file("iterators.asc");
        assertEquals(Map.of(-1, List.of(0, 7), 0, List.of(1, 4), 1, List.of(2, 3), 4, List.of(5, 6),
                7, List.of(8, 9)), connectivity(m));
        // test_immutable_morphology.cpp modifiers: neurites in file order without NRN_ORDER
        assertArrayEquals(new int[] {2, 3, 3, 4, 4, 3, 3, 2}, MorphologyAssertions.types(file("mono-type.asc").rootSections()));
    }

    @Test
    void duplicatePointRules() {
        String withDuplicate = """
                ((Dendrite)
                 (3 -4 0 5) (3 -6 0 5) (3 -8 0 5) (3 -10 0 5)
                 ( (3 -10 0 2) (0 -10 0 2) (-3 -10 0 0.3)
                   |
                   (3 -10 0 2) (6 -10 0 2) (9 -10 0 0.3) ))""";
        String withoutDuplicate = """
                ((Dendrite)
                 (3 -4 0 5) (3 -6 0 5) (3 -8 0 5) (3 -10 0 5)
                 ( (0 -10 0 2) (-3 -10 0 0.3)
                   |
                   (6 -10 0 2) (9 -10 0 0.3) ))""";
        // test_read_with_duplicates, test_read_without_duplicates: the child's first diameter is used
        for (String asc : List.of(withDuplicate, withoutDuplicate)) {
            Morphology m = text(asc);
            assertPoints(new float[][] {{3, -10, 0}, {0, -10, 0}, {-3, -10, 0}}, m.sections().get(1).points());
            assertArrayEquals(new float[] {2, 2, 0.3f}, m.sections().get(1).diameters());
            assertArrayEquals(new float[] {2, 2, 0.3f}, m.sections().get(2).diameters());
        }
        // test_explicit_duplicates_with_arbitrary_diameter
        assertArrayEquals(new float[] {20, 2, 0.3f}, text(withDuplicate.replaceFirst("\\(3 -10 0 2\\)", "(3 -10 0 20)"))
                .sections().get(1).diameters());
        // test_section_single_point
        Morphology single = text("""
                ((Dendrite) (3 -4 0 2) (3 -6 0 2) (3 -8 0 2) (3 -10 0 2)
                 ( (3 -10 2 4) | (3 -10 0 2) (3 -10 1 2) (3 -10 2 2) ))""");
        assertPoints(new float[][] {{3, -10, 0}, {3, -10, 2}}, single.sections().get(1).points());
        assertArrayEquals(new float[] {4, 4}, single.sections().get(1).diameters());
        assertEquals(3, single.sections().get(2).pointCount());
        // test_single_point_section_duplicate_parent: a section of only the duplicate disappears
        Morphology onlyDuplicate = text("((Dendrite) (3 -4 0 2) (3 -10 0 2) ( (3 -10 0 4) ))");
        assertEquals(1, onlyDuplicate.sections().size());
        assertArrayEquals(new float[] {2, 2}, onlyDuplicate.sections().get(0).diameters());
        // test_single_point_section_duplicate_parent_complex: its branches go to the parent
        Morphology complex = text("""
                ((Color Blue) (Axon) (1 0 0 1) (2 0 0 1)
                 ( (2 0 0 1) ( (4 0 0 1) | (5 0 0 1) ) | (6 0 0 1) ))""");
        assertEquals(Map.of(-1, List.of(0), 0, List.of(1, 2, 3)), connectivity(complex));
        assertPoints(new float[][] {{2, 0, 0}, {6, 0, 0}}, complex.sections().get(3).points());
        // test_single_children: single children are not merged
        assertEquals(1, text("""
                ((Dendrite) (3 -4 0 2) (3 -6 0 2) (3 -8 0 2) (3 -10 0 2)
                 ( (3 -10 0 4) (0 -10 0 4) (-3 -10 0 3) ( (-5 -5 5 5) | (-6 -6 6 6) ) ))""")
                .children(0).size());
    }

    @Test
    void fixturesWithUnusualStructure() {
        // test_mutable_morphology.cpp RemoveUnifurcation: a chain of single children, root of 2 points
        Morphology nested = file("nested_single_children.asc");
        assertEquals(Map.of(-1, List.of(0), 0, List.of(1), 1, List.of(2), 2, List.of(3)), connectivity(nested));
        assertEquals(2, nested.sections().get(0).pointCount());
        // test_5_mut.py test_remove_rootsection: a one-point root with two children
        Morphology singleRoot = file("single_point_root.asc");
        assertEquals(1, singleRoot.rootSections().size());
        assertEquals(1, singleRoot.sections().get(0).pointCount());
        assertEquals(2, singleRoot.children(0).size());
        // LoadNeurolucidaMorphology
        assertEquals(14, file("multiple_point_section.asc").pointCount());
        // annotations.asc: an empty sibling after '|' still works
        assertEquals(2, file("annotations.asc").sections().size());
        assertEquals(SomaType.SIMPLE_CONTOUR, file("circle_contour.asc").soma().type());
    }

    @Test
    void somaForms() {
        // test_soma: CellBody as token, as string, or both
        String points = "(1 1 0 1 S1) (-1 1 0 1 S2) (-1 -1 0 2 S3) )";
        for (String head : List.of("((CellBody)", "(\"CellBody\" (Color Red)", "(\"CellBody\" (Color Red) (CellBody)",
                "((CellBody) (Color Red) \"CellBody\"")) {
            Morphology m = text(head + "\n" + points);
            assertPoints(new float[][] {{1, 1, 0}, {-1, 1, 0}, {-1, -1, 0}}, m.soma().points());
            assertEquals(0, m.sections().size());
        }
        // test_parse_number_with_plus_symbol
        assertPoints(new float[][] {{1, 1, 0}, {1, 1, 0}, {1, 1, 0}},
                text("((CellBody) (1 1 0 1 S1) (1 +1 0 1 S2) (1 1 0 2 S3))").soma().points());
        // readers/morphologyASC.cpp load(): a one-point contour is refused, two points are UNDEFINED
        assertThrows(MemmapException.class, () -> file("simple2.asc"));
        assertEquals(SomaType.UNDEFINED, text("((CellBody) (0 0 0 1) (1 0 0 1))").soma().type());
        assertEquals(SomaType.UNDEFINED, text("((Axon) (0 0 0 1) (1 0 0 1))").soma().type());
    }

    @Test
    void errorsNameFileAndLine() {
        // test_unknown_token
        String unknown = rejected("""

                ("CellBody"
                (Color Red)
                (CellBody)
                (1 1 0 1 S1)
                (Z 1 0 1 S2) ; <-- Z is a BAD token
                (-1 -1 0 2 S3)
                )""");
        assertTrue(unknown.startsWith("$STRING$:6: Unexpected token: Z"), unknown);
        // test_unfinished_point
        String unfinished = rejected("(\"CellBody\"\n(Color Red)\n(CellBody)\n(1 1");
        assertTrue(unfinished.startsWith("$STRING$:4: Error converting: \"\" to float"), unfinished);
        // test_multiple_soma
        String twoSomas = rejected("""

                ("CellBody"
                (Color Red)
                (CellBody)
                (1 1 0 1 S1)
                (-1 1 0 1 S2)
                )

                ("CellBody"
                (Color Red)
                (CellBody)
                (1 1 0 1 S1)
                (-1 1 0 1 S2)
                )""");
        assertTrue(twoSomas.startsWith("$STRING$:14: A soma is already defined"), twoSomas);
        // test_unfinished_file
        String eof = rejected("""

                ((Dendrite)
                (3 -4 0 2)
                (3 -6 0 2)
                (3 -8 0 2)
                (3 -10 0 2)
                (
                (3 -10 0 2)
                (0 -10 0 2)
                (-3 -10 0 2)
                |
                """);
        assertTrue(eof.contains("Hit end of file while consuming a neurite"), eof);
        // a neurite that branches before its first point has no section to hang the branches on
        String early = rejected("((Dendrite) (0 0 0 1)\n ( ( (1 0 0 1) | (2 0 0 1) ) ))");
        assertTrue(early.startsWith("$STRING$:2: A branch opens before any point"), early);
        // while branches after a branch hang from the section before them
        assertEquals(Map.of(-1, List.of(0), 0, List.of(1, 2, 3, 4)),
                connectivity(text("((Dendrite) (0 0 0 1) ( (1 0 0 1) | (2 0 0 1) ) ( (3 0 0 1) | (4 0 0 1) ))")));
        // test_invalid_incomplete
        MemmapException incomplete = assertThrows(MemmapException.class, () -> file("invalid-incomplete.asc"));
        assertTrue(incomplete.getMessage().contains("invalid-incomplete.asc:14:"), incomplete.getMessage());
        assertTrue(incomplete.getMessage().contains("Incomplete"));
    }

    @Test
    void deepNestingIsReadWithoutRecursionAndRefusedBeyondTheLimit() {
        int depth = 5_000;
        Morphology deep = text(nested(depth));
        assertEquals(depth + 1, deep.sections().size());
        assertEquals(depth - 1, deep.sections().get(depth).parentId());
        String tooDeep = rejected(nested(AscReader.MAX_DEPTH + 10));
        assertTrue(tooDeep.contains("nested deeper than 10000 levels"), tooDeep);
    }

    /** A root section and a chain of {@code depth} single children, each one level deeper. */
    private static String nested(int depth) {
        StringBuilder b = new StringBuilder("((Dendrite) (0 0 0 1) (0 0 1 1)\n");
        for (int i = 0; i < depth; i++) {
            b.append("( (").append(i).append(" 1 0 1)\n");
        }
        b.append(")".repeat(depth)).append(")\n");
        return b.toString();
    }
}
