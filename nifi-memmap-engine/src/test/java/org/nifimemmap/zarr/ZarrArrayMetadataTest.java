package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.io.SparseFiles;

/** A {@code .zarray} whose shape or chunks are not integers that fit is refused, not silently truncated. */
class ZarrArrayMetadataTest {
    private static JsonNode zarray(String shape, String chunks) throws IOException {
        return Json.MAPPER.readTree("{\"zarr_format\":2,\"shape\":" + shape + ",\"chunks\":" + chunks
                + ",\"dtype\":\"<i2\",\"compressor\":null,\"filters\":null,\"fill_value\":0,\"order\":\"C\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[1099511627780]", "[4294967300]", "[4.5]", "[\"4\"]", "[null]", "[true]"})
    void chunkExtentThatIsNotAnIntBelow2To31IsRefused(String chunks) throws IOException {
        JsonNode n = zarray("[100]", chunks);
        MemmapException e = assertThrows(MemmapException.class, () -> ZarrArrayMetadata.fromJson(n, "a/.zarray"));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("a/.zarray: shape [100] and chunks " + chunks), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[18446744073709551616]", "[1e3]", "[\"100\"]"})
    void shapeThatIsNotALongIsRefused(String shape) throws IOException {
        JsonNode n = zarray(shape, "[4]");
        assertThrows(MemmapException.class, () -> ZarrArrayMetadata.fromJson(n, "a/.zarray"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[100]", "[0]", "[4611686018427387904]"})
    void integerShapesAreRead(String shape) throws IOException {
        assertEquals(Long.parseLong(shape.substring(1, shape.length() - 1)),
                ZarrArrayMetadata.fromJson(zarray(shape, "[4]"), "a/.zarray").shape()[0]);
    }

    /** Found by fuzzing: an unknown codec was reported without the file that names it. */
    @Test
    void metadataLargerThanTheCapIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        Path array = Files.createDirectory(dir.resolve("a"));
        Path zarray = SparseFiles.longerThan(array.resolve(".zarray"), ZarrGroup.MAX_METADATA_BYTES, ' ');
        MemmapException e = assertThrows(MemmapException.class, () -> ZarrArray.open(array));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(zarray + " is " + (ZarrGroup.MAX_METADATA_BYTES + 1) + " bytes"), e.getMessage());
    }

    @Test
    void unknownCodecIsReportedWithItsZarrayFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".zarray"), "{\"zarr_format\":2,\"shape\":[10],\"chunks\":[4],\"dtype\":\"<i2\","
                + "\"compressor\":{\"id\":\"zmib\"},\"filters\":null,\"fill_value\":0,\"order\":\"C\"}");
        ZarrArray array = ZarrArray.open(dir);
        MemmapException e = assertThrows(MemmapException.class, array::chunkReader);
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(dir.resolve(".zarray") + ": Unsupported Zarr codec"), e.getMessage());
    }

    /** Found by fuzzing: a chunk of 600 MB made the reader allocate its buffers until the heap ran out. */
    @Test
    void chunksTooLargeForTheHeapAreRefusedBeforeAllocation(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".zarray"), "{\"zarr_format\":2,\"shape\":[2147483583],\"chunks\":[2147483583],\"dtype\":\"|u1\","
                + "\"compressor\":{\"id\":\"zlib\",\"level\":1},\"filters\":null,\"fill_value\":0,\"order\":\"C\"}");
        ZarrArray array = ZarrArray.open(dir);
        MemmapException e = assertThrows(MemmapException.class, array::chunkReader);
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(dir.resolve(".zarray") + ": chunks of 2147483583 bytes need 6442450749 bytes of heap"),
                e.getMessage());
    }
}
