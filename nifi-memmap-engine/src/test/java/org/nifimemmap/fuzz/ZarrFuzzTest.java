package org.nifimemmap.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrGroup;

/** Fuzz tests of the Zarr v2 reader: array and group metadata, and chunk decoding with each codec we read. */
class ZarrFuzzTest {
    /** The arrays of the chunk target: 10 x 3 int16, chunks of 4 x 3 (24 bytes), one per codec. */
    private static final String[] CHUNK_ARRAYS = {
        array("{\"id\":\"zstd\",\"level\":1}", "[{\"id\":\"shuffle\",\"elementsize\":2}]"),
        array("{\"id\":\"blosc\",\"cname\":\"lz4\",\"clevel\":5,\"shuffle\":1,\"blocksize\":0}", "null"),
        array("{\"id\":\"gzip\",\"level\":1}", "null"),
        array("{\"id\":\"zlib\",\"level\":1}", "null"),
    };

    static Stream<Arguments> zarraySeeds() {
        return Stream.concat(FuzzSeeds.bundled("zarrArray"),
                Arrays.stream(CHUNK_ARRAYS).map(a -> Arguments.of(a.getBytes(StandardCharsets.UTF_8))));
    }

    static Stream<Arguments> zgroupSeeds() {
        return FuzzSeeds.bundled("zarrGroup");
    }

    static Stream<Arguments> chunkSeeds() {
        return FuzzSeeds.bundled("zarrChunk");
    }

    private static String array(String compressor, String filters) {
        return "{\"zarr_format\":2,\"shape\":[10,3],\"chunks\":[4,3],\"dtype\":\"<i2\",\"compressor\":" + compressor
                + ",\"filters\":" + filters + ",\"fill_value\":0,\"order\":\"C\",\"dimension_separator\":\".\"}";
    }

    /** Opens the array and reads its first chunk, which is absent: the reader's buffers are allocated, then filled. */
    @DictionaryEntries({"\"shape\"", "\"chunks\"", "\"dtype\"", "\"compressor\"", "\"filters\"", "\"fill_value\"",
        "\"zarr_format\":2", "\"order\":\"C\"", "\"dimension_separator\":\"/\"", "\"id\":\"blosc\"", "\"id\":\"zstd\"",
        "\"id\":\"gzip\"", "\"id\":\"zlib\"", "\"id\":\"shuffle\"", "\"elementsize\"", "\"<f8\"", "\">u2\"", "\"|b1\"",
        "\"NaN\"", "\"-Infinity\"", "2147483647", "4294967296", "1099511627776", "-1", "[]"})
    @MethodSource("zarraySeeds")
    @ParserFuzzTest
    void zarray(byte[] data) {
        ParserContract.readsOrRefuses(Map.of(".zarray", data), dir -> {
            ZarrArray a = ZarrArray.open(dir);
            readFirstChunk(a);
            return a;
        });
    }

    /** Input: the {@code .zgroup} bytes, then optionally a zero byte and the {@code .zattrs} bytes. */
    @MethodSource("zgroupSeeds")
    @ParserFuzzTest
    void zgroup(byte[] data) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        int split = indexOf(data, (byte) 0);
        files.put(".zgroup", Arrays.copyOf(data, split < 0 ? data.length : split));
        if (split >= 0) {
            files.put(".zattrs", Arrays.copyOfRange(data, split + 1, data.length));
        }
        ParserContract.readsOrRefuses(files, dir -> {
            ZarrGroup g = ZarrGroup.open(dir);
            g.arrayNames();
            return g.attributes();
        });
    }

    /**
     * Input: one byte choosing the codec (zstd + shuffle, blosc lz4, gzip, zlib), then the chunk file.
     * Corrupt frames and frames that decode to more (bombs) or fewer bytes than a chunk must be refused.
     */
    @MethodSource("chunkSeeds")
    @ParserFuzzTest
    void chunk(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] zarray = CHUNK_ARRAYS[Math.floorMod(data[0], CHUNK_ARRAYS.length)].getBytes(StandardCharsets.UTF_8);
        ParserContract.readsOrRefuses(Map.of(".zarray", zarray, "0.0", Arrays.copyOfRange(data, 1, data.length)), dir -> {
            ZarrArray a = ZarrArray.open(dir);
            return readFirstChunk(a);
        });
    }

    private static byte[] readFirstChunk(ZarrArray a) {
        long[] first = new long[a.metadata().rank()];
        if (Arrays.stream(a.metadata().chunkGrid()).anyMatch(n -> n == 0)) {
            return new byte[0];
        }
        try (ZarrArray.ChunkReader reader = a.chunkReader()) {
            byte[] chunk = new byte[a.metadata().chunkBytes()];
            reader.read(first, chunk);
            return chunk;
        }
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
