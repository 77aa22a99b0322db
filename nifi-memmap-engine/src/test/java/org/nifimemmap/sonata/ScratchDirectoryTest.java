package org.nifimemmap.sonata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/** Builds map their scratch files in the Scratch Directory when one is given, and leave it empty after success and failure. */
class ScratchDirectoryTest {
    private static final Path FIXTURES = Path.of(System.getProperty("memmap.fixtures", "../fixtures"));

    @TempDir
    Path dir;

    @Test
    void synapseBuildsUseAndEmptyTheScratchDirectory() throws Exception {
        Path edges = FIXTURES.resolve("sonata/syn-2k/edges.h5");
        Path out = Files.createDirectories(dir.resolve("out"));
        Path scratch = dir.resolve("nvme/scratch"); // missing: created
        assertEquals(1931, SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(), out, 64L << 20,
                ConflictStrategy.FAIL, null, scratch)).getFirst().elements());
        assertEquals(List.of(), list(scratch), "scratch removed after success");
        // Too small a Memory Map Size fails the build: the scratch space is removed all the same.
        assertThrows(MemmapException.class, () -> SynapseIndexBuilder.build(new SynapseIndexRequest(edges, null, List.of(), List.of(),
                out, 4096, ConflictStrategy.REPLACE, null, scratch)));
        assertEquals(List.of(), list(scratch), "scratch removed after failure");
    }

    @Test
    void scratchGoesWhereTheScratchDirectorySays() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        MemmapException e = assertThrows(MemmapException.class, () -> SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(
                FIXTURES.resolve("sonata/circuit-10/nodes.h5"), FIXTURES.resolve("sonata/circuit-10/morphologies/ascii"),
                Files.createDirectories(dir.resolve("out")), 256L << 20).withScratchDirectory(notADirectory)));
        assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
        assertTrue(e.getMessage().contains("Scratch Directory " + notADirectory), e.getMessage());
        assertEquals(List.of(), list(dir.resolve("out")), "nothing left in the output directory");
        Path scratch = dir.resolve("scratch");
        assertEquals(21_990, SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(FIXTURES.resolve("sonata/circuit-10/nodes.h5"),
                FIXTURES.resolve("sonata/circuit-10/morphologies/ascii"), dir.resolve("out"), 256L << 20).withScratchDirectory(scratch))
                .getFirst().elements());
        assertEquals(List.of(), list(scratch));
    }

    private static List<Path> list(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
