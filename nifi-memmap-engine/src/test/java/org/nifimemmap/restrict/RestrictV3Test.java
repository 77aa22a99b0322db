package org.nifimemmap.restrict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;

/** Restricting Zarr v3 recordings, sharded or not, and writing v3 outputs. */
class RestrictV3Test {
    private static final String INTERVALS = "1.0005-2.5, 7.25-7.3, 20-21.9999, 49.5-60";
    private static ExecutorService pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** 50,000 samples of 8 int16 channels at 1 kHz, as v2 and as v3 in shards of 8 chunks of 1000 samples. */
    private Path[] stores() throws IOException {
        Path raw = dir.resolve("rec.dat");
        ByteBuffer b = ByteBuffer.allocate(50_000 * 8 * 2).order(ByteOrder.LITTLE_ENDIAN);
        Random r = new Random(11);
        while (b.hasRemaining()) {
            b.putShort((short) (r.nextGaussian() * 400));
        }
        Files.write(raw, b.array());
        EegConverter converter = new EegConverter(pool, 3);
        EegConversionRequest v2 = new EegConversionRequest(raw, dir.resolve("v2.zarr"), 8, 1000.0, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 1000, Compression.ZSTD, -1, ConflictStrategy.FAIL);
        converter.convert(v2);
        converter.convert(new EegConversionRequest(raw, dir.resolve("v3.zarr"), 8, 1000.0, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 1000, Compression.ZSTD, -1, ConflictStrategy.FAIL).asV3(8000));
        return new Path[] {dir.resolve("v2.zarr"), dir.resolve("v3.zarr")};
    }

    private static RestrictRequest request(Path input, Path output, ZarrFormat format, int shard, Compression compression) {
        return new RestrictRequest(input, RestrictRequest.InputKind.detect(input), null, null,
                IntervalParser.parse(INTERVALS, IntervalFormat.TEXT), output, RestrictRequest.OutputFormat.ZARR,
                compression, -1, 0, ConflictStrategy.FAIL, format, shard);
    }

    @Test
    void restrictingTheV3StoreEqualsRestrictingTheV2Store() throws IOException {
        Path[] in = stores();
        RestrictResult fromV2 = RestrictEngine.restrict(request(in[0], dir.resolve("a.zarr"), null, 0, null), pool);
        RestrictResult fromV3 = RestrictEngine.restrict(request(in[1], dir.resolve("b.zarr"), null, 0, null), pool);
        assertEquals(4, fromV3.intervalsKept());
        assertEquals(fromV2.samplesKept(), fromV3.samplesKept());
        assertEquals(ZarrFormat.V3, ZarrGroup.open(dir.resolve("b.zarr")).format(), "keeps the source's format");
        assertSameRecording(dir.resolve("a.zarr"), dir.resolve("b.zarr"));
        // Only the chunks holding kept samples were read: their bytes and the indexes of their shards.
        assertTrue(fromV3.bytesRead() < storedBytes(in[1].resolve("traces_seg0")) / 3,
                fromV3.bytesRead() + " of " + storedBytes(in[1].resolve("traces_seg0")));
    }

    @Test
    void writesV3InShardsFromEitherFormatAndV2FromV3() throws IOException {
        Path[] in = stores();
        RestrictEngine.restrict(request(in[0], dir.resolve("v2-v2.zarr"), null, 0, null), pool);
        RestrictEngine.restrict(request(in[0], dir.resolve("v2-v3.zarr"), ZarrFormat.V3, 2000, null), pool);
        RestrictEngine.restrict(request(in[1], dir.resolve("v3-v3.zarr"), ZarrFormat.V3, 3000, Compression.BLOSC_LZ4), pool);
        RestrictEngine.restrict(request(in[1], dir.resolve("v3-v2.zarr"), ZarrFormat.V2, 0, Compression.GZIP), pool);
        for (String name : List.of("v2-v3.zarr", "v3-v3.zarr", "v3-v2.zarr")) {
            assertSameRecording(dir.resolve("v2-v2.zarr"), dir.resolve(name));
        }
        ZarrGroup v3 = ZarrGroup.open(dir.resolve("v2-v3.zarr"));
        assertEquals(ZarrFormat.V3, v3.format());
        assertArrayEquals(new int[] {2000, 8}, v3.array("traces_seg2").metadata().shards());
        // A segment of 51 samples: one chunk of its own length, which is its shard.
        assertArrayEquals(new int[] {51, 8}, v3.array("traces_seg1").metadata().shards());
        assertTrue(Files.isRegularFile(dir.resolve("v2-v3.zarr/zarr.json")));
        assertTrue(v3.hasArray("channel_ids") && v3.hasArray("t_starts"));
        assertEquals(ZarrFormat.V3, v3.array("channel_ids").format());
        ZarrGroup v2 = ZarrGroup.open(dir.resolve("v3-v2.zarr"));
        assertEquals(ZarrFormat.V2, v2.format());
        assertEquals(ZarrFormat.V2, v2.array("channel_ids").format());
        assertFalse(Files.exists(dir.resolve("v3-v2.zarr/zarr.json")), "no v3 metadata in a v2 output");
        assertEquals("gzip", v2.array("traces_seg0").metadata().compressor().get("id").asText());
    }

    @Test
    void shardsNeedV3AndWholeChunks() throws IOException {
        Path[] in = stores();
        MemmapException e = assertThrows(MemmapException.class,
                () -> RestrictEngine.restrict(request(in[0], dir.resolve("x.zarr"), null, 2000, null), pool));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("need Zarr format v3"), e.getMessage());
        e = assertThrows(MemmapException.class, () -> RestrictEngine.restrict(request(in[1], dir.resolve("x.zarr"), null, 2500, null), pool));
        assertTrue(e.getMessage().contains("Shard size 2500 samples is not a multiple of the chunk size 1000"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.zarr")));
    }

    @Test
    void aDamagedShardIndexIsAnErrorNamingTheShard() throws IOException {
        Path[] in = stores();
        Path shard = in[1].resolve("traces_seg0/c/0/0");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 1] ^= 0x40;
        Files.write(shard, bytes);
        MemmapException e = assertThrows(MemmapException.class,
                () -> RestrictEngine.restrict(request(in[1], dir.resolve("x.zarr"), null, 0, null), pool));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(shard.toString()) && e.getMessage().contains("index checksum mismatch"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.zarr")));
    }

    /** Same segments (values, t_starts), same channel ids, whatever the format, codec and chunking of each. */
    static void assertSameRecording(Path expected, Path actual) {
        ZarrGroup a = ZarrGroup.open(expected);
        ZarrGroup b = ZarrGroup.open(actual);
        int segments = a.attributes().get("num_segments").asInt();
        assertEquals(segments, b.attributes().get("num_segments").asInt());
        assertEquals(a.attributes().get("time_support"), b.attributes().get("time_support"));
        for (int i = 0; i < segments; i++) {
            assertArrayEquals(values(a.array("traces_seg" + i)), values(b.array("traces_seg" + i)), actual + " segment " + i);
            assertEquals(a.array("traces_seg" + i).attributes(), b.array("traces_seg" + i).attributes());
        }
        assertArrayEquals(values(a.array("t_starts")), values(b.array("t_starts")));
        assertArrayEquals(values(a.array("channel_ids")), values(b.array("channel_ids")));
    }

    /** An array's values in C order, padding dropped (one chunk column). */
    static byte[] values(ZarrArray array) {
        long[] shape = array.metadata().shape();
        int[] chunks = array.metadata().chunks();
        int item = array.metadata().dtype().size();
        long rowElements = shape.length == 1 ? 1 : shape[1];
        byte[] out = new byte[(int) (shape[0] * rowElements * item)];
        byte[] chunk = new byte[array.metadata().chunkBytes()];
        try (ZarrArray.ChunkReader reader = array.chunkReader()) {
            for (long k = 0; k < array.metadata().chunkGrid()[0]; k++) {
                reader.read(shape.length == 1 ? new long[] {k} : new long[] {k, 0}, chunk);
                long rows = Math.min(chunks[0], shape[0] - k * chunks[0]);
                System.arraycopy(chunk, 0, out, (int) (k * chunks[0] * rowElements * item), (int) (rows * rowElements * item));
            }
        }
        return out;
    }

    private static long storedBytes(Path array) throws IOException {
        List<Long> sizes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(array)) {
            files.filter(Files::isRegularFile).forEach(p -> sizes.add(p.toFile().length()));
        }
        return sizes.stream().mapToLong(Long::longValue).sum();
    }
}
