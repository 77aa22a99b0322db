package org.nifimemmap.sonata.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.Morphology;

class MorphologyLocatorTest {
    private static final Path MORPHOLOGIES = NodePopulationReaderTest.sonata("snap/morphologies");

    private static NodePlacement node(long id, String morphology) {
        return new NodePlacement(id, 0, 0, 0, Rotation.IDENTITY, morphology);
    }

    @Test
    void extensionsAreTriedH5ThenAscThenSwc() {
        MorphologyLocator locator = MorphologyLocator.directory(MORPHOLOGIES, 8);
        // morph-A and morph-B exist as .h5 and .swc: the .h5 wins (morph-B.swc is 0 bytes and not read)
        assertEquals(MORPHOLOGIES.resolve("morph-A.h5"), locator.find("morph-A"));
        assertEquals(4, locator.load(node(1, "morph-B")).sections().size());
        MorphologyLocator swcOnly = MorphologyLocator.directory(MORPHOLOGIES, List.of("swc"), 8);
        assertEquals(locator.load(node(0, "morph-A")).sections().size(),
                swcOnly.load(node(0, "morph-A")).sections().size());
    }

    @Test
    void emptyOrMissingFilesNameNodeAndFile() {
        MorphologyLocator locator = MorphologyLocator.directory(MORPHOLOGIES, 8);
        // snap fixture: morph-C.asc is 0 bytes upstream
        MemmapException empty = assertThrows(MemmapException.class, () -> locator.load(node(2, "morph-C")));
        assertEquals(ErrorKind.INVALID_INPUT, empty.kind());
        assertTrue(empty.getMessage().startsWith("node 2, morphology 'morph-C'"), empty.getMessage());
        assertTrue(empty.getMessage().contains("morph-C.asc") && empty.getMessage().contains("empty"));
        MemmapException emptySwc = assertThrows(MemmapException.class,
                () -> MorphologyLocator.directory(MORPHOLOGIES, List.of("swc"), 8).load(node(1, "morph-B")));
        assertTrue(emptySwc.getMessage().contains("morph-B.swc"), emptySwc.getMessage());
        MemmapException missing = assertThrows(MemmapException.class, () -> locator.load(node(5, "morph-Z")));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
        assertTrue(missing.getMessage().contains("node 5") && missing.getMessage().contains("morph-Z.swc"));
    }

    @Test
    void containerGroupsByName() {
        MorphologyLocator container = MorphologyLocator.container(MORPHOLOGIES.resolve("container-morphs.h5"), 8);
        Morphology fromContainer = container.load(node(0, "morph-A"));
        Morphology fromFile = MorphologyLocator.directory(MORPHOLOGIES, 8).load(node(0, "morph-A"));
        assertEquals(fromFile.pointCount(), fromContainer.pointCount());
        assertEquals(fromFile.sections().size(), fromContainer.sections().size());
        MemmapException absent = assertThrows(MemmapException.class, () -> container.load(node(3, "morph-C")));
        assertTrue(absent.getMessage().contains("node 3") && absent.getMessage().contains("morph-C"));
    }

    @Test
    void cacheKeepsTheMostRecentlyUsed() {
        MorphologyLocator one = MorphologyLocator.directory(MORPHOLOGIES, 1);
        Morphology a = one.load(node(0, "morph-A"));
        assertSame(a, one.load(node(9, "morph-A")));
        one.load(node(1, "morph-B"));
        assertNotSame(a, one.load(node(0, "morph-A")));
    }
}
