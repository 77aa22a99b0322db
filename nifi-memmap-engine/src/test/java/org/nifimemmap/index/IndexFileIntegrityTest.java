package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Damaged files give clear errors, never a JVM crash; a too small map cap names the size needed. */
class IndexFileIntegrityTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void build() {
        file = dir.resolve("good.idx");
        Random rnd = new Random(1);
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 16 << 20, List.of(new ExtraColumn("afferent_section_id", FieldType.I16)), 0)) {
            for (int i = 0; i < 1000; i++) {
                w.add(rnd.nextFloat() * 100, rnd.nextFloat() * 100, rnd.nextFloat() * 100, i, i % 5, i % 9, new double[] {i % 300});
            }
            w.writeTo(file);
        }
    }

    @Test
    void goodFileOpensAndVerifies() {
        try (SpatialIndex index = SpatialIndex.open(file, true)) {
            assertEquals(1000, index.count());
            assertEquals(FieldType.U32, index.field("edge_id").type(), "ids below 2^32 are stored in 4 bytes");
            Field section = index.field("afferent_section_id");
            Field edge = index.field("edge_id");
            index.query(Query.box(0, 0, 0, 100, 100, 100, Accuracy.BEST_EFFORT),
                    r -> assertEquals(index.getLong(r, edge) % 300, index.getLong(r, section)));
        }
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        long length = Files.size(file);
        for (long cut : new long[] {0, 10, 200, 300, length / 2, length - 1}) {
            Path copy = dir.resolve("cut-" + cut);
            Files.copy(file, copy);
            try (RandomAccessFile raf = new RandomAccessFile(copy.toFile(), "rw")) {
                raf.setLength(cut);
            }
            MemmapException e = assertThrows(MemmapException.class, () -> SpatialIndex.open(copy, false));
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains(copy.toString()), e.getMessage());
        }
    }

    @Test
    void appendedBytesAreRejected() throws IOException {
        Files.write(file, new byte[8], java.nio.file.StandardOpenOption.APPEND);
        MemmapException e = assertThrows(MemmapException.class, () -> SpatialIndex.open(file, false));
        assertTrue(e.getMessage().contains("truncated or appended"), e.getMessage());
    }

    @Test
    void corruptHeaderByteIsRejected() throws IOException {
        flipByte(file, IndexFormat.OFF_BOUNDS + 3);
        MemmapException e = assertThrows(MemmapException.class, () -> SpatialIndex.open(file, false));
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
    }

    @Test
    void corruptDataIsFoundByVerify() throws IOException {
        flipByte(file, Files.size(file) - 30);
        try (SpatialIndex index = SpatialIndex.open(file, false)) {
            MemmapException e = assertThrows(MemmapException.class, index::verify);
            assertTrue(e.getMessage().contains("data checksum"), e.getMessage());
        }
        assertThrows(MemmapException.class, () -> SpatialIndex.open(file, true));
    }

    @Test
    void otherFilesAreNotIndexes() throws IOException {
        Path text = Files.writeString(dir.resolve("text.idx"), "x".repeat(1000));
        assertTrue(assertThrows(MemmapException.class, () -> SpatialIndex.open(text, false)).getMessage().contains("bad magic"));
        MemmapException missing = assertThrows(MemmapException.class, () -> SpatialIndex.open(dir.resolve("none"), false));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
    }

    @Test
    void mapCapTooSmallFailsEarlyWithTheSizeNeeded() {
        MemmapException known = assertThrows(MemmapException.class,
                () -> SynapseIndexWriter.create(dir, 1 << 20, List.of(), 1_000_000));
        assertEquals(ErrorKind.INVALID_CONFIG, known.kind());
        assertTrue(known.getMessage().contains("1,000,000 elements needs at least"), known.getMessage());
        // Unknown count: fails while adding, once the elements so far no longer fit.
        try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 100_000, List.of(), 0)) {
            MemmapException grown = assertThrows(MemmapException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    w.add(i, i, i, i, 0, 0);
                }
            });
            assertTrue(grown.getMessage().contains("needs at least"), grown.getMessage());
            assertTrue(w.count() > 1000, "the cap was used, not refused early: " + w.count());
        }
    }

    private static void flipByte(Path p, long at) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.seek(at);
            int b = raf.read();
            raf.seek(at);
            raf.write(b ^ 0x40);
        }
    }
}
