package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

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
}
