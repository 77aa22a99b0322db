package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The content of a Zarr v2 {@code .zarray} file (C order only). Chunks at the edge of the array are stored
 * full size, padded with the fill value, as the spec requires.
 *
 * @param compressor numcodecs configuration, or null for raw chunks
 * @param filters    numcodecs configurations applied before the compressor, in encoding order
 * @param fillValue  JSON fill value (number, "NaN", or null)
 * @param dimensionSeparator "." (default) or "/" between chunk indices in chunk keys
 */
public record ZarrArrayMetadata(long[] shape, int[] chunks, ZarrDtype dtype, JsonNode compressor,
                                List<JsonNode> filters, JsonNode fillValue, String dimensionSeparator) {

    public ZarrArrayMetadata {
        if (shape.length != chunks.length || shape.length == 0) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and chunks " + Arrays.toString(chunks) + " differ in rank");
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0 || chunks[i] < 1) {
                throw new IllegalArgumentException("bad shape " + Arrays.toString(shape) + " or chunks " + Arrays.toString(chunks));
            }
        }
        if (chunkBytesLong(chunks, dtype) > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("chunk of " + Arrays.toString(chunks) + " x " + dtype.size() + " bytes exceeds 2 GiB");
        }
        shape = shape.clone();
        chunks = chunks.clone();
        filters = List.copyOf(filters);
        dimensionSeparator = dimensionSeparator == null ? "." : dimensionSeparator;
    }

    private static long chunkBytesLong(int[] chunks, ZarrDtype dtype) {
        long n = dtype.size();
        for (int c : chunks) {
            n *= c;
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public int[] chunks() {
        return chunks.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Bytes of one decoded chunk (edge chunks included: they are padded). */
    public int chunkBytes() {
        return (int) chunkBytesLong(chunks, dtype);
    }

    /** Number of chunks along each dimension. */
    public long[] chunkGrid() {
        long[] grid = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            grid[i] = (shape[i] + chunks[i] - 1) / chunks[i];
        }
        return grid;
    }

    /** The chunk's file name relative to the array directory, e.g. {@code 12.0}. */
    public String chunkKey(long... chunkIndex) {
        if (chunkIndex.length != shape.length) {
            throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " has the wrong rank for shape " + Arrays.toString(shape));
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < chunkIndex.length; i++) {
            if (i > 0) {
                key.append(dimensionSeparator);
            }
            key.append(chunkIndex[i]);
        }
        return key.toString();
    }

    /** A new, not thread-safe pipeline of this array's filters and compressor. */
    public ChunkPipeline newPipeline() {
        List<Codec> filterCodecs = new ArrayList<>();
        for (JsonNode f : filters) {
            filterCodecs.add(Codecs.fromConfig(f, dtype.size()));
        }
        Codec comp = compressor == null || compressor.isNull() ? null : Codecs.fromConfig(compressor, dtype.size());
        return new ChunkPipeline(filterCodecs, comp, chunkBytes());
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        ArrayNode c = n.putArray("chunks");
        Arrays.stream(chunks).forEach(c::add);
        n.set("compressor", compressor == null ? Json.object().nullNode() : compressor);
        n.put("dimension_separator", dimensionSeparator);
        n.put("dtype", dtype.descriptor());
        n.set("fill_value", fillValue == null ? Json.object().nullNode() : fillValue);
        if (filters.isEmpty()) {
            n.putNull("filters");
        } else {
            n.putArray("filters").addAll(filters);
        }
        n.put("order", "C");
        ArrayNode s = n.putArray("shape");
        Arrays.stream(shape).forEach(s::add);
        n.put("zarr_format", 2);
        return n;
    }

    /** Parses a {@code .zarray} document; {@code source} names the file in errors. */
    public static ZarrArrayMetadata fromJson(JsonNode n, String source) {
        if (n.path("zarr_format").asInt(-1) != 2) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": not a Zarr v2 array (zarr_format " + n.path("zarr_format") + ")");
        }
        if (!"C".equals(n.path("order").asText("C"))) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": only C order arrays are supported, not " + n.path("order"));
        }
        JsonNode shapeNode = n.path("shape");
        JsonNode chunksNode = n.path("chunks");
        if (!shapeNode.isArray() || !chunksNode.isArray() || shapeNode.size() != chunksNode.size()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": shape " + shapeNode + " and chunks " + chunksNode + " do not match");
        }
        long[] shape = new long[shapeNode.size()];
        int[] chunks = new int[chunksNode.size()];
        for (int i = 0; i < shape.length; i++) {
            // asLong/asInt would wrap 2^40 + 4 to 4 and read "4" or 4.5 as 4: take only integers that fit.
            JsonNode extent = shapeNode.get(i);
            JsonNode chunk = chunksNode.get(i);
            if (!extent.isIntegralNumber() || !extent.canConvertToLong() || !chunk.isIntegralNumber() || !chunk.canConvertToInt()) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": shape " + shapeNode + " and chunks " + chunksNode
                        + " must be integers (chunk extents below 2^31)");
            }
            shape[i] = extent.longValue();
            chunks[i] = chunk.intValue();
        }
        List<JsonNode> filters = new ArrayList<>();
        n.path("filters").forEach(filters::add);
        JsonNode compressor = n.get("compressor");
        try {
            ZarrDtype dtype = ZarrDtype.parse(n.path("dtype").asText(null));
            return new ZarrArrayMetadata(shape, chunks, dtype, compressor == null || compressor.isNull() ? null : compressor,
                    filters, n.get("fill_value"), n.path("dimension_separator").asText("."));
        } catch (IllegalArgumentException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": " + e.getMessage(), e);
        } catch (MemmapException e) {
            throw new MemmapException(e.kind(), source + ": " + e.getMessage(), e);
        }
    }
}
