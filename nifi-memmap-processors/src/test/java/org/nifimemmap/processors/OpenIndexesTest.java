package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

class OpenIndexesTest {
    @TempDir
    Path dir;
    Path big;
    Path small;

    @BeforeEach
    void build() throws IOException {
        big = SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(SonataFixtures.SYN_2K,
                Files.createDirectory(dir.resolve("big")), 1 << 20)).getFirst().indexFile();
        small = SynapseIndexBuilder.build(new SynapseIndexRequest(null, SonataFixtures.USECASE1_CONFIG, List.of(), List.of(),
                Files.createDirectory(dir.resolve("small")), 1 << 20, ConflictStrategy.FAIL)).getFirst().indexFile();
    }

    @Test
    void anUnchangedFileIsOpenedOnceAndAReplacedOneAgain() throws IOException {
        Path file = Files.copy(big, dir.resolve("index.nmsidx"));
        try (OpenIndexes open = new OpenIndexes(4, true)) {
            SpatialIndex first = open.get(file);
            assertSame(first, open.get(dir.resolve("./index.nmsidx")), "same file, same open index");
            Files.copy(small, file, StandardCopyOption.REPLACE_EXISTING);
            SpatialIndex second = open.get(file);
            assertNotSame(first, second);
            assertEquals(4, second.count());
            assertEquals(1, open.size());
        }
    }

    @Test
    void leastRecentlyUsedIndexesAreClosedBeyondTheCapacity() throws IOException {
        try (OpenIndexes open = new OpenIndexes(2, false)) {
            Path a = Files.copy(small, dir.resolve("a")), b = Files.copy(small, dir.resolve("b")), c = Files.copy(small, dir.resolve("c"));
            SpatialIndex first = open.get(a);
            SpatialIndex bFirst = open.get(b);
            assertSame(first, open.get(a));
            open.get(c);
            assertEquals(2, open.size());
            assertSame(first, open.get(a), "a was used more recently than b");
            assertNotSame(bFirst, open.get(b), "b was closed and is opened again");
            assertEquals(2, open.size());
        }
    }

    @Test
    void aMissingFileIsInputNotFound() {
        try (OpenIndexes open = new OpenIndexes(2, false)) {
            MemmapException e = assertThrows(MemmapException.class, () -> open.get(dir.resolve("absent")));
            assertEquals(ErrorKind.INPUT_NOT_FOUND, e.kind());
        }
    }
}
