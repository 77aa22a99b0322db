package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

class SegmentIndexWriterTest {
    @TempDir
    Path dir;

    @Test
    void populationSizedWritersSpillNarrowIdsAndWriteTheSameFile() throws Exception {
        Path plain = dir.resolve("plain.idx");
        Path sized = dir.resolve("sized.idx");
        java.util.Random rnd = new java.util.Random(4);
        for (SegmentIndexWriter w : List.of(SegmentIndexWriter.create(dir, 64 << 20, 0),
                SegmentIndexWriter.forPopulation(dir, 64 << 20, 0, 4_000_000_000L))) {
            try (w) {
                rnd.setSeed(4);
                for (int i = 0; i < 50_000; i++) {
                    long gid = rnd.nextInt(2_000_000_000) * 2L;
                    float x = rnd.nextFloat() * 1000, y = rnd.nextFloat() * 1000, z = rnd.nextFloat() * 1000;
                    w.addSegment(gid, i % 300, i % 7, 3, x, y, z, x + 3, y - 2, z + 1, 0.5f);
                }
                w.writeTo(w.count() > 0 && !Files.exists(plain) ? plain : sized);
            }
        }
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(plain), Files.readAllBytes(sized)));
        try (SegmentIndexWriter w = SegmentIndexWriter.forPopulation(dir, 1 << 20, 0, 10)) {
            MemmapException e = assertThrows(MemmapException.class, () -> w.addSoma(10, 0, 0, 0, 1));
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("Node id 10 is not below the population's size 10"), e.getMessage());
            w.addSoma(9, 0, 0, 0, 1);
            assertEquals(1, w.count(), "the refused element left nothing behind");
        }
    }

    @Test
    void columnsWidenOnlyWhenValuesNeedIt() {
        Path narrow = dir.resolve("narrow.idx");
        Path wide = dir.resolve("wide.idx");
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 0)) {
            w.addSoma(3, 0, 0, 0, 5);
            w.addSegment(3, 1, 0, 3, 0, 0, 0, 10, 0, 0, 1);
            w.writeTo(narrow);
        }
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 0)) {
            w.addSoma(5_000_000_000L, 0, 0, 0, 5);
            w.addSegment(5_000_000_000L, 70_000, 66_000, 4, 0, 0, 0, 10, 0, 0, 1);
            w.writeTo(wide);
        }
        try (SpatialIndex n = SpatialIndex.open(narrow, true); SpatialIndex w = SpatialIndex.open(wide, true)) {
            assertEquals(38, n.layout().recordSize());
            assertEquals(List.of(FieldType.U32, FieldType.U16, FieldType.U16),
                    List.of(n.field("gid").type(), n.field("section_id").type(), n.field("segment_id").type()));
            assertEquals(List.of(FieldType.U64, FieldType.U32, FieldType.U32),
                    List.of(w.field("gid").type(), w.field("section_id").type(), w.field("segment_id").type()));
            List<String> rows = new ArrayList<>();
            w.query(Query.sphere(5, 0, 0, 0.5, Accuracy.BEST_EFFORT), r -> rows.add(w.getLong(r, w.field("kind")) + ":"
                    + w.getLong(r, w.field("gid")) + "/" + w.getLong(r, w.field("section_id")) + "/"
                    + w.getLong(r, w.field("segment_id")) + "/" + w.getLong(r, w.field("section_type"))));
            assertEquals(List.of("0:5000000000/0/0/1", "1:5000000000/70000/66000/4").stream().sorted().toList(),
                    rows.stream().sorted().toList());
        }
    }

    @Test
    void badElementsAreRefusedAndExistingFilesKept() {
        Path file = dir.resolve("x.idx");
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 0)) {
            MemmapException e = assertThrows(MemmapException.class, () -> w.addSegment(1, 2, 3, 3, 0, 0, 0, 1, 1, Float.NaN, 1));
            assertTrue(e.getMessage().contains("Node 1 section 2 segment 3"), e.getMessage());
            assertThrows(MemmapException.class, () -> w.addSoma(1, 0, 0, 0, -1));
            w.addSoma(1, 0, 0, 0, 1);
            assertEquals(1, w.count());
        }
        // Existing file: refused without touching it.
        try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 0)) {
            w.addSoma(1, 0, 0, 0, 1);
            Files.writeString(file, "keep me");
            MemmapException e = assertThrows(MemmapException.class, () -> w.writeTo(file));
            assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
            assertEquals("keep me", Files.readString(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
