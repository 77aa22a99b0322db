package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Element counts the upstream spatial index (brain-indexer, MorphIO underneath) produces for the SONATA
 * fixtures: one soma plus one segment per consecutive point pair of each section. They only come out
 * right when sections are split and start with duplicate points exactly as MorphIO does.
 */
class CircuitMorphologyCountsTest {
    @Test
    void circuit10AscGives2198SegmentsPerCell() {
        Morphology m = MorphologyFiles.read(Fixtures.sonata("circuit-10/morphologies/ascii/sm090227a1-2_idC.asc"));
        assertEquals(2198, m.segmentCount());
        assertEquals(SomaType.SIMPLE_CONTOUR, m.soma().type());
    }

    @Test
    void usecase1SwcAndAscGive6815SegmentsPerCell() {
        // 13,632 elements for 2 nodes sharing morphology C210401C = 2 somas + 2 x 6,815 segments.
        Morphology swc = MorphologyFiles.read(
                Fixtures.sonata("usecases/components/CircuitA/morphologies/swc/C210401C.swc"));
        Morphology asc = MorphologyFiles.read(
                Fixtures.sonata("usecases/components/CircuitA/morphologies/asc/C210401C.asc"));
        assertEquals(6815, swc.segmentCount());
        assertEquals(6815, asc.segmentCount());
    }
}
