package org.nifimemmap.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.ElementType;
import org.nifimemmap.index.ExtraColumn;
import org.nifimemmap.index.FieldType;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SegmentIndexWriter;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.index.SynapseIndexWriter;

/**
 * Fuzz tests of the spatial index reader: the whole file as given, and the file with its header checksum
 * made valid again, so that mutated headers, trees and records reach the query path. Either way a query
 * must end with a result or a {@code MemmapException}, never read outside the mapping or loop; the data
 * checksum ({@code verify()}, run after the queries) catches what the queries took for valid.
 */
class SpatialIndexFuzzTest {
    // Offsets from docs/index-format.md.
    private static final int FIXED_HEADER = 256;
    private static final int FIELD_ENTRY = 32;
    private static final int OFF_FIELD_COUNT = 28;
    private static final int MAX_FIELDS = 64;

    /** Small synapse and segment indexes (two tree levels), written by our writers at seed time. */
    static Stream<Arguments> indexSeeds() {
        try {
            Path dir = Files.createTempDirectory("index-seeds");
            Random rnd = new Random(7);
            Path synapses = dir.resolve("synapses.idx");
            try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 1 << 20,
                    List.of(new ExtraColumn("afferent_section_id", FieldType.I16)), 0)) {
                for (int i = 0; i < 40; i++) {
                    w.add(rnd.nextFloat() * 100, rnd.nextFloat() * 100, rnd.nextFloat() * 100, i, i % 5, i % 7, new double[] {i % 11});
                }
                w.writeTo(synapses);
            }
            Path segments = dir.resolve("segments.idx");
            try (SegmentIndexWriter w = SegmentIndexWriter.create(dir, 1 << 20, 0)) {
                for (int gid = 0; gid < 3; gid++) {
                    w.addSoma(gid, gid * 20, 0, 0, 5);
                    for (int s = 0; s < 8; s++) {
                        w.addSegment(gid, 1 + s / 4, s % 4, 3, gid * 20 + s, 0, 0, gid * 20 + s + 1, 1, 0, 0.5f);
                    }
                }
                w.writeTo(segments);
            }
            Path empty = dir.resolve("empty.idx");
            try (SynapseIndexWriter w = SynapseIndexWriter.create(dir, 1 << 20, List.of(), 0)) {
                w.writeTo(empty);
            }
            List<Arguments> seeds = Stream.of(synapses, segments, empty)
                    .map(f -> Arguments.of(Named.of(f.getFileName().toString(), read(f)))).toList();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
            return seeds.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @MethodSource("indexSeeds")
    @ParserFuzzTest
    void indexFile(byte[] data) {
        ParserContract.readsOrRefuses(data, "fuzz.idx", SpatialIndexFuzzTest::openAndQuery);
    }

    /** As {@link #indexFile}, with the header checksum recomputed: mutations get past the header check. */
    @MethodSource("indexSeeds")
    @ParserFuzzTest
    void indexWithValidHeaderCrc(byte[] data) {
        ParserContract.readsOrRefuses(withHeaderCrc(data), "fuzz.idx", SpatialIndexFuzzTest::openAndQuery);
    }

    private static long openAndQuery(Path file) {
        try (SpatialIndex index = SpatialIndex.open(file, false)) {
            long seen = 0;
            for (Accuracy accuracy : Accuracy.values()) {
                seen += index.count(Query.box(-1e3, -1e3, -1e3, 1e3, 1e3, 1e3, accuracy));
                seen += index.count(Query.sphere(30, 30, 30, 25, accuracy));
                seen += index.scan(Query.box(0, 0, 0, 50, 50, 50, accuracy), r -> { });
            }
            long[] sum = {0};
            index.query(Query.box(-1e3, -1e3, -1e3, 1e3, 1e3, 1e3, Accuracy.BOUNDING_BOX), r -> {
                sum[0] += index.getLong(r, index.layout().fields().getLast());
            });
            if (index.elementType() == ElementType.SYNAPSE) {
                seen += index.countByPostGid(Query.sphere(50, 50, 50, 40, Accuracy.BEST_EFFORT)).size();
            }
            index.verify();
            return seen + sum[0];
        }
    }

    private static byte[] withHeaderCrc(byte[] data) {
        if (data.length < FIXED_HEADER) {
            return data;
        }
        ByteBuffer b = ByteBuffer.wrap(data.clone()).order(ByteOrder.LITTLE_ENDIAN);
        int fields = b.getInt(OFF_FIELD_COUNT);
        int crcAt = FIXED_HEADER + FIELD_ENTRY * fields;
        if (fields < 1 || fields > MAX_FIELDS || crcAt + 4 > data.length) {
            return data;
        }
        CRC32 crc = new CRC32();
        crc.update(data, 0, crcAt);
        b.putInt(crcAt, (int) crc.getValue());
        return b.array();
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
