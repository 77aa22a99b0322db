package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nifimemmap.morphology.MorphologyAssertions.assertPoints;
import static org.nifimemmap.morphology.MorphologyAssertions.assertSectionOffsets;
import static org.nifimemmap.morphology.MorphologyAssertions.assertSimpleCell;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.io.SparseFiles;

/** Expectations from MorphIO's tests/test_1_swc.py and tests/test_swc_reader.cpp, named per test. */
class SwcReaderTest {
    private static Morphology file(String name) {
        return new SwcReader().read(Fixtures.morphio(name));
    }

    private static Morphology text(String swc) {
        return new SwcReader().parse("$STRING$", swc);
    }

    private static MemmapException rejected(String swc) {
        MemmapException e = assertThrows(MemmapException.class, () -> text(swc));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        return e;
    }

    @Test
    void readSimple() {
        // test_read_simple
        Morphology m = file("simple.swc");
        assertSimpleCell(m);
        assertEquals(SomaType.SINGLE_POINT, m.soma().type());
        assertPoints(new float[][] {{0, 0, 0}, {0, 5, 0}}, m.sections().get(0).points());
        assertPoints(new float[][] {{0, 5, 0}, {-5, 5, 0}}, m.sections().get(1).points());
        assertPoints(new float[][] {{0, 0, 0}, {0, -4, 0}}, m.sections().get(3).points());
        assertEquals(12, m.pointCount()); // LoadSWCMorphology
    }

    @Test
    void windowsLineEndingsAndTrailingSpaces() {
        // test_read_simple_windows_eol, test_trailing_space
        assertSimpleCell(file("simple-windows-eol.swc"));
        assertEquals(3, file("simple-trailing-space.swc").pointCount());
    }

    @Test
    void allCustomTypes() {
        // LoadSWCMorphology: simple-all-types.swc, root types CUSTOM_5 .. CUSTOM_19
        Morphology m = file("simple-all-types.swc");
        assertEquals(30, m.pointCount());
        assertArrayEquals(IntStream.rangeClosed(5, 19).toArray(), MorphologyAssertions.types(m.rootSections()));
    }

    @Test
    void somaTypes() {
        // test_three_point_soma_neuromorpho, test_three_point_soma_stacked_cylinders, test_soma_type_*
        assertEquals(SomaType.NEUROMORPHO_THREE_POINT_CYLINDERS, file("three_point_soma.swc").soma().type());
        Morphology cylinders = file("soma_cylinders.swc");
        assertEquals(SomaType.CYLINDERS, cylinders.soma().type());
        assertEquals(1, cylinders.rootSections().size());
        assertEquals(SomaType.SINGLE_POINT, text("1 1 0 0 0 3.0 -1").soma().type());
        assertEquals(SomaType.CYLINDERS, text("1 1 0 0 0 3.0 -1\n2 1 0 0 0 3.0 1").soma().type());
        assertEquals(SomaType.CYLINDERS, text("1 1 0 0 0 3 -1\n2 1 0 0 0 3 1\n3 1 0 0 0 3 2").soma().type());
        assertEquals(SomaType.UNDEFINED, file("no_soma.swc").soma().type());
    }

    @Test
    void threePointSomaNeuritesStartAtTheirFirstSample() {
        // test_neurite_wrong_root_point_neuromorpho_3_point_soma
        Morphology m = file("neurite_wrong_root_point.swc");
        assertEquals(2, m.rootSections().size());
        assertPoints(new float[][] {{0, 0, 0}, {0, 0, 1}}, m.sections().get(0).points());
    }

    @Test
    void duplicatePointAddedOnlyWhenMissingWithParentDiameter() {
        // test_read_duplicate
        Morphology m = text("""
                1 1 1 0 1 4.0 -1
                2 3 0 0 2 0.5 1
                3 3 0 0 3 0.5 2
                4 3 0 0 3 0.5 3
                5 3 0 0 7 0.5 4
                6 3 0 0 3 2.3 3
                7 3 0 0 8 3.5 6
                8 3 1 0 0 2.3 3
                9 3 1 1 0 3.5 8""");
        assertEquals(4, m.sections().size());
        assertPoints(new float[][] {{0, 0, 2}, {0, 0, 3}}, m.sections().get(0).points());
        assertPoints(new float[][] {{0, 0, 3}, {0, 0, 7}}, m.sections().get(1).points());
        assertPoints(new float[][] {{0, 0, 3}, {0, 0, 8}}, m.sections().get(2).points());
        assertPoints(new float[][] {{0, 0, 3}, {1, 0, 0}, {1, 1, 0}}, m.sections().get(3).points());
        assertArrayEquals(new float[] {1, 1}, m.sections().get(1).diameters());
        assertArrayEquals(new float[] {4.6f, 7}, m.sections().get(2).diameters());
        assertArrayEquals(new float[] {1, 4.6f, 7}, m.sections().get(3).diameters());
    }

    @Test
    void splitSomaAndUnorderedIds() {
        // test_read_split_soma
        Morphology split = text("""
                1 1 1 0 1 4.0 -1
                2 3 0 0 2 0.5 1
                3 3 0 0 3 0.5 2
                4 3 0 0 4 0.5 3
                5 3 0 0 5 0.5 4
                6 1 2 0 0 4.0 1
                7 1 3 0 0 4.0 6
                8 3 0 0 6 0.5 1
                9 3 0 0 7 0.5 8
                10 3 0 0 8 0.5 9
                11 3 0 0 9 0.5 10
                """);
        assertEquals(3, split.soma().pointCount());
        assertEquals(2, split.sections().size());
        assertPoints(new float[][] {{0, 0, 6}, {0, 0, 7}, {0, 0, 8}, {0, 0, 9}}, split.sections().get(1).points());
        // test_read_weird_ids
        Morphology weird = text("""
                10000 3 0 0 5 0.5 100 # neurite 4th point
                3 3 0 0 3 0.5 47      # neurite 2nd point
                10 1 0 0 0 3.0 -1     # soma
                47 3 0 0 2 0.5 10     # neurite 1st point
                100 3 0 0 4 0.5 3     # neurite 3rd point
                """);
        assertPoints(new float[][] {{0, 0, 2}, {0, 0, 3}, {0, 0, 4}, {0, 0, 5}}, weird.sections().get(0).points());
    }

    @Test
    void commentsAndBlankLines() {
        // test_skip_comments
        Morphology m = text("#a comment\n # a comment\n1 1 0 4 0 3.0 -1\n\t#a tab comment\n\n"
                + "2 3 0 0 2 0.5 1\n3 3 0 0 3 0.5 2\n4 3 0 0 4 0.5 3\n5 3 0 0 5 0.5 4\n");
        assertSectionOffsets(new int[] {0, 4}, m);
    }

    @Test
    void disconnectedNeuriteWithoutChildrenIsDropped() {
        // test_disconnected_neurite: a warning in MorphIO, and the lone sample makes no section
        assertSimpleCell(file("disconnected_neurite.swc"));
        // no-soma (test_swc_reader.cpp): two disconnected neurites become two root sections
        Morphology noSoma = text("1 2 0 0 1 .5 -1\n2 2 0 0 1 .5 1\n3 2 0 0 1 .5 -1\n4 2 0 0 1 .5 3");
        assertEquals(2, noSoma.rootSections().size());
    }

    @Test
    void typeChangeAtBifurcationSplitsAndWithoutBifurcationIsRejectedUnlessAllowed() {
        // test_axon_carrying_dendrite
        Morphology carrying = text("""
                1 1 0 0 1 1 -1
                2 2 0 0 2 2 1
                3 2 0 0 3 3 2
                4 3 0 0 4 4 3
                5 3 0 0 5 5 4
                6 2 0 0 6 6 3
                7 2 0 0 7 7 3
                """);
        assertArrayEquals(new int[] {2, 3, 2, 2}, MorphologyAssertions.types(carrying.sections()));
        // test_multi_type_section
        String multi = "1 1 0 4 0 3.0 -1\n2 6 0 0 2 0.5 1\n3 7 0 0 3 0.5 2\n4 8 0 0 4 0.5 3\n5 9 0 0 5 0.5 4";
        assertTrue(rejected(multi).getMessage().contains("$STRING$:2:"));
        Morphology allowed = new SwcReader(true).parse("$STRING$", multi);
        assertSectionOffsets(new int[] {0, 1, 3, 5, 7}, allowed);
        assertPoints(new float[][] {{0, 0, 2}}, allowed.sections().get(0).points());
    }

    @Test
    void malformedFilesNameFileAndLine() {
        // test_multiple_soma: the message lists the soma lines
        MemmapException multiple = assertThrows(MemmapException.class, () -> file("multiple_soma.swc"));
        assertTrue(multiple.getMessage().contains("multiple_soma.swc:2:"), multiple.getMessage());
        assertTrue(multiple.getMessage().contains("11"), multiple.getMessage());
        // test_throw_on_missing_data and "wrong column counts"
        assertTrue(rejected(" 3    #    missing data ").getMessage().startsWith("$STRING$:1: Unable to parse"));
        assertTrue(rejected("\n# pre\n3 3   #  missing data ").getMessage().startsWith("$STRING$:3:"));
        assertTrue(rejected("1 1 0 0 1 0.5\n2 3 0 0 2 0.5 1").getMessage().startsWith("$STRING$:1:"));
        // test_extra_column: MorphIO ignores columns after the seventh
        assertEquals(1, text("1 1  0  0 0 10 -1  3\n2 2 -2 -6 0 10  1  3\n").soma().pointCount());
        // test_swc_reader.cpp morphio::swc::errors
        assertTrue(rejected("1 1 0 0 1 0.5 -1\n2 3 0 0 2 0.5 1\n2 3 0 0 2 0.5 1").getMessage().contains("Repeated ID"));
        assertTrue(rejected("-100 1 0 0 1 0.5 -1").getMessage().contains("negative"));
        assertTrue(rejected("100 1 0 0 1 0.5 -10").getMessage().contains("negative"));
        assertTrue(rejected("1 10000 0 0 1 0.5 -1").getMessage().contains("Unsupported section type: 10000"));
        assertTrue(rejected("1 1 0 0 1 .5 \"-1\"").getMessage().contains("Unable to parse"));
        assertTrue(rejected("1 2 0 0 1 .5 -1\n2 1 0 0 1 .5 1").getMessage().contains("neurite as parent"));
        assertTrue(rejected("1 2 0 0 1 .5 -1\n2 1 0 0 1 .5 2").getMessage().contains("itself"));
        assertTrue(rejected("1 1 0 0 1 .5 -1\n2 1 0 0 1 .5 10").getMessage().contains("non-existant parent ID: 10"));
        assertTrue(rejected("1 1 0 0 1 .5 -1\n2 1 0 0 1 .5 -1").getMessage().contains("Multiple somata"));
        assertTrue(rejected("    1 1 0 0 1 .5 -1\n    2 1 0 0 1 .5 1\n    3 1 0 0 1 .5 2\n    4 1 0 0 1 .5 2")
                .getMessage().contains("soma bifurcation"));
        assertTrue(rejected("01234567890123456789 1 0 0 1 .5 -1").getMessage().contains("$STRING$:1:"));
        // test_unsupported_section_type
        assertTrue(rejected("1 1 0 4 0 3.0 -1\n2 3 0 0 2 0.5 1\n3 -1 0 0 3 0.5 2")
                .getMessage().startsWith("$STRING$:3: Unsupported section type: -1"));
    }

    @Test
    void textMorphologyLargerThanTheCapIsRefusedBeforeItIsRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        for (String name : new String[] {"huge.swc", "huge.asc"}) {
            java.nio.file.Path file = SparseFiles.longerThan(dir.resolve(name), MorphologyFiles.MAX_TEXT_BYTES, '\n');
            MemmapException e = assertThrows(MemmapException.class, () -> MorphologyFiles.read(file));
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith(file + ": morphology file is " + (MorphologyFiles.MAX_TEXT_BYTES + 1)
                    + " bytes"), e.getMessage());
        }
    }

    @Test
    void deeplyBranchedTreeIsReadWithoutRecursion() {
        // 50,000 nested bifurcations: each level has a leaf child and a child that branches again
        int depth = 50_000;
        StringBuilder swc = new StringBuilder("1 1 0 0 0 1 -1\n2 3 0 0 1 1 1\n");
        long parent = 2;
        long id = 3;
        for (int level = 0; level < depth; level++) {
            swc.append(id).append(" 3 1 ").append(level).append(" 0 1 ").append(parent).append('\n');
            swc.append(id + 1).append(" 3 0 ").append(level).append(" 1 1 ").append(parent).append('\n');
            parent = id + 1;
            id += 2;
        }
        Morphology m = text(swc.toString());
        assertEquals(1 + 2 * depth, m.sections().size());
        // depth first: the leaf of each level comes right before the branching child
        assertEquals(m.sections().get(m.sections().size() - 2).parentId(), m.sections().get(m.sections().size() - 1).parentId());
    }
}
