package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;

/** Zarr v3 output: zarr.json nodes, chunk files under c/, and shards holding many chunks. */
class EegConverterV3Test {
    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final EegConverter converter = new EegConverter(pool, 3);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private EegConversionRequest request(Path raw, Path out, int chunk, Compression compression, int shard) {
        return Recordings.request(raw, out, 5, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, chunk, compression).asV3(shard);
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void unshardedRoundTripsEveryCompression(Compression compression) throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10_007, 5);
        Path out = dir.resolve("rec.zarr");
        EegConversionResult r = converter.convert(request(raw, out, 1000, compression, 0));
        assertArrayEquals(Files.readAllBytes(raw), EegConverterTest.traces(out));
        ZarrArray traces = ZarrGroup.open(out).array("traces_seg0");
        assertEquals(ZarrFormat.V3, traces.format());
        assertFalse(traces.metadata().sharded());
        assertEquals(11, chunkFiles(out.resolve("traces_seg0")).size());
        assertTrue(Files.isRegularFile(out.resolve("traces_seg0/c/10/0")));
        assertEquals(onDisk(out), r.outputBytes());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void shardsHoldTheChunksAndTheLastShardMarksChunksPastTheEndMissing(Compression compression) throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 10_007, 5);
        Path out = dir.resolve("rec.zarr");
        EegConversionResult r = converter.convert(request(raw, out, 1000, compression, 4000));
        assertArrayEquals(Files.readAllBytes(raw), EegConverterTest.traces(out));
        // 11 chunks of 1000 samples in shards of 4: 3 shard files, the last holding chunks 8, 9 and 10.
        assertEquals(List.of("c/0/0", "c/1/0", "c/2/0"), chunkFiles(out.resolve("traces_seg0")));
        assertEquals(onDisk(out), r.outputBytes());
        ByteBuffer last = ByteBuffer.wrap(Files.readAllBytes(out.resolve("traces_seg0/c/2/0"))).order(ByteOrder.LITTLE_ENDIAN);
        int index = last.capacity() - 4 * 16 - 4;
        assertEquals(0, last.getLong(index), "chunks are appended in order: chunk 8 first");
        for (int i = 0; i < 3; i++) {
            assertTrue(last.getLong(index + 16 * i + 8) > 0);
        }
        assertEquals(-1L, last.getLong(index + 48), "chunk 11 lies past the array's end: offset 2^64-1");
        assertEquals(-1L, last.getLong(index + 56), "and length 2^64-1");
        long previousEnd = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(previousEnd, last.getLong(index + 16 * i));
            previousEnd += last.getLong(index + 16 * i + 8);
        }
        assertEquals(index, previousEnd, "chunk bytes then the index, nothing between");
    }

    @Test
    void zarrJsonFollowsTheSpecAndShardingCodec() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 3000, 5);
        Path out = dir.resolve("rec.zarr");
        converter.convert(request(raw, out, 250, Compression.ZSTD, 1000));
        JsonNode array = Json.MAPPER.readTree(out.resolve("traces_seg0/zarr.json").toFile());
        assertEquals(3, array.get("zarr_format").asInt());
        assertEquals("array", array.get("node_type").asText());
        assertEquals("[3000,5]", array.get("shape").toString());
        assertEquals("int16", array.get("data_type").asText());
        assertEquals("{\"name\":\"regular\",\"configuration\":{\"chunk_shape\":[1000,5]}}", array.get("chunk_grid").toString());
        assertEquals("{\"name\":\"default\",\"configuration\":{\"separator\":\"/\"}}", array.get("chunk_key_encoding").toString());
        assertEquals(0, array.get("fill_value").asInt());
        assertEquals("[\"time_seg0\",\"channel\"]", array.get("dimension_names").toString());
        assertFalse(array.get("attributes").has("_ARRAY_DIMENSIONS"), "v3 names dimensions in dimension_names");
        assertEquals("[{\"name\":\"sharding_indexed\",\"configuration\":{\"chunk_shape\":[250,5],\"codecs\":["
                + "{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},"
                + "{\"name\":\"numcodecs.shuffle\",\"configuration\":{\"elementsize\":2}},"
                + "{\"name\":\"zstd\",\"configuration\":{\"level\":3,\"checksum\":false}}],"
                + "\"index_codecs\":[{\"name\":\"bytes\",\"configuration\":{\"endian\":\"little\"}},{\"name\":\"crc32c\"}],"
                + "\"index_location\":\"end\"}}]", array.get("codecs").toString());
        JsonNode group = Json.MAPPER.readTree(out.resolve("zarr.json").toFile());
        assertEquals("group", group.get("node_type").asText());
        assertEquals(20000.0, group.get("attributes").get("sampling_frequency").asDouble());
        assertEquals(3, group.get("attributes").get("nifi_memmap").get("zarr_format").asInt());
        assertEquals(1000, group.get("attributes").get("nifi_memmap").get("shard_samples").asInt());
        // Our reader gives the dimension names back as xarray's attribute, as a v2 store has it.
        assertEquals("[\"time_seg0\",\"channel\"]", ZarrGroup.open(out).array("traces_seg0").attributes().get("_ARRAY_DIMENSIONS").toString());
        assertFalse(Files.exists(out.resolve(".zgroup")));
    }

    @Test
    void v3StoreHasEveryNodeOfTheV2Store() throws IOException {
        Path bin = LabRecordings.spikeGlxImec(dir);
        Path v2 = dir.resolve("v2.zarr");
        Path v3 = dir.resolve("v3.zarr");
        converter.convert(RecordingFormatsTest.request(bin, v2, RecordingFormat.AUTO, null));
        converter.convert(RecordingFormatsTest.request(bin, v3, RecordingFormat.AUTO, null).asV3(500));
        assertEquals(nodes(v2), nodes(v3));
        assertTrue(nodes(v3).contains("properties/gain_to_uV"), nodes(v3).toString());
        ZarrGroup g2 = ZarrGroup.open(v2);
        ZarrGroup g3 = ZarrGroup.open(v3);
        for (String numeric : List.of("t_starts", "properties/gain_to_uV", "properties/offset_to_uV")) {
            assertArrayEquals(whole(g2.array(numeric)), whole(g3.array(numeric)), numeric);
            assertEquals(g2.array(numeric).attributes(), g3.array(numeric).attributes(), numeric);
        }
        JsonNode ids = Json.MAPPER.readTree(v3.resolve("channel_ids/zarr.json").toFile());
        assertEquals("string", ids.get("data_type").asText());
        assertEquals("[{\"name\":\"vlen-utf8\"}]", ids.get("codecs").toString());
        ByteBuffer vlen = ByteBuffer.wrap(Files.readAllBytes(v3.resolve("channel_ids/c/0"))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(5, vlen.getInt());
        byte[] first = new byte[vlen.getInt()];
        vlen.get(first);
        assertEquals("AP0", new String(first, java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(EegConverterTest.traces(v2), EegConverterTest.traces(v3));
        JsonNode a2 = g2.attributes();
        JsonNode a3 = g3.attributes();
        assertEquals(a2.get("sampling_frequency"), a3.get("sampling_frequency"));
        assertEquals(a2.get("nifi_memmap").get("source"), a3.get("nifi_memmap").get("source"));
    }

    @Test
    void corruptShardIndexIsAnErrorNamingTheShard() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 4000, 5);
        Path out = dir.resolve("rec.zarr");
        converter.convert(request(raw, out, 500, Compression.ZSTD, 2000));
        Path shard = out.resolve("traces_seg0/c/1/0");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length - 20] ^= 1;
        Files.write(shard, bytes);
        MemmapException e = assertThrows(MemmapException.class, () -> EegConverterTest.traces(out));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(shard.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void shardSizeMustTileChunksAndNeedsV3() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 4000, 5);
        MemmapException e = assertThrows(MemmapException.class, () -> converter.convert(request(raw, dir.resolve("a.zarr"), 300, Compression.ZSTD, 1000)));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains("Shard size 1000 samples is not a multiple of the chunk size 300"), e.getMessage());
        EegConversionRequest v2 = Recordings.request(raw, dir.resolve("b.zarr"), 5, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 250,
                Compression.ZSTD);
        EegConversionRequest v2Sharded = new EegConversionRequest(v2.input(), v2.output(), 5, 20000.0, SampleType.INT16,
                ByteOrder.LITTLE_ENDIAN, 0, 250, Compression.ZSTD, -1, v2.conflict(), RecordingFormat.AUTO, null, ZarrFormat.V2, 1000);
        e = assertThrows(MemmapException.class, () -> converter.convert(v2Sharded));
        assertTrue(e.getMessage().contains("need Zarr format v3"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("a.zarr")) || Files.exists(dir.resolve("b.zarr")));
    }

    @Test
    void defaultChunksDivideTheShardAndShardsLongerThanTheRecordingShrink() throws IOException {
        Path raw = Recordings.write(dir.resolve("rec.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, 100_000, 5);
        Path out = dir.resolve("rec.zarr");
        converter.convert(request(raw, out, 0, Compression.ZSTD, 1_000_000));
        ZarrArray traces = ZarrGroup.open(out).array("traces_seg0");
        // 4 MiB / 10 bytes per frame = 419430 samples; the largest divisor of 10^6 not above it is 250000: one
        // chunk holds the whole recording, and the shard is that chunk.
        assertEquals(100_000, traces.metadata().chunks()[0]);
        assertEquals(100_000, traces.metadata().shards()[0]);
        assertArrayEquals(Files.readAllBytes(raw), EegConverterTest.traces(out));
    }

    private static List<String> chunkFiles(Path array) throws IOException {
        try (Stream<Path> files = Files.walk(array)) {
            return files.filter(Files::isRegularFile).map(p -> array.relativize(p).toString())
                    .filter(name -> !name.equals("zarr.json")).sorted().toList();
        }
    }

    private static long onDisk(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** Paths of the groups and arrays of a store, whatever its format. */
    private static TreeSet<String> nodes(Path store) throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isDirectory).filter(d -> ZarrGroup.isGroup(d) || ZarrArray.isArray(d))
                    .map(d -> store.relativize(d).toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        }
    }

    private static byte[] whole(ZarrArray a) {
        byte[] chunk = new byte[a.metadata().chunkBytes()];
        try (ZarrArray.ChunkReader reader = a.chunkReader()) {
            reader.read(new long[] {0}, chunk);
        }
        return chunk;
    }
}
