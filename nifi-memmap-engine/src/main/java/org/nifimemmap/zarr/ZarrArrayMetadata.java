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
 * An array's shape, chunking, dtype and codecs (C order only): the content of a Zarr v2 {@code .zarray}, or of a
 * Zarr v3 array's {@code zarr.json} ({@link V3Metadata}). Chunks at the edge of the array are stored full size,
 * padded with the fill value, as both specs require.
 *
 * <p>Codecs are kept as numcodecs configurations whatever the format: a v3 chain {@code bytes, zstd} is the
 * compressor {@code {"id": "zstd"}} here, so one pipeline ({@link #newPipeline()}) serves both formats and a
 * restriction can keep its source's codec when it writes the other format.
 *
 * @param compressor numcodecs configuration, or null for raw chunks
 * @param filters    numcodecs configurations applied before the compressor, in encoding order
 * @param fillValue  JSON fill value (number, "NaN", or null)
 * @param dimensionSeparator "." (v2 default) or "/" between chunk indices in chunk keys (v3: the default
 *                           chunk key encoding's separator, after the {@code c} prefix)
 * @param format     v2 or v3
 * @param shards     v3 only: the shape of a shard (the v3 chunk grid) when chunks are stored inside shards with the
 *                   {@code sharding_indexed} codec, a multiple of {@code chunks} in every dimension; null otherwise
 */
public record ZarrArrayMetadata(long[] shape, int[] chunks, ZarrDtype dtype, JsonNode compressor,
                                List<JsonNode> filters, JsonNode fillValue, String dimensionSeparator,
                                ZarrFormat format, int[] shards) {

    /** A Zarr v2 array. */
    public ZarrArrayMetadata(long[] shape, int[] chunks, ZarrDtype dtype, JsonNode compressor,
                             List<JsonNode> filters, JsonNode fillValue, String dimensionSeparator) {
        this(shape, chunks, dtype, compressor, filters, fillValue, dimensionSeparator, ZarrFormat.V2, null);
    }

    /** A Zarr v3 array with the default chunk key encoding ({@code c/0/0}), in shards when {@code shards} is not null. */
    public static ZarrArrayMetadata v3(long[] shape, int[] chunks, int[] shards, ZarrDtype dtype, JsonNode compressor,
                                       List<JsonNode> filters, JsonNode fillValue) {
        return new ZarrArrayMetadata(shape, chunks, dtype, compressor, filters, fillValue, "/", ZarrFormat.V3, shards);
    }

    /** An array of the same format, dtype and codecs with another shape, chunking and shard shape (null: unsharded). */
    public ZarrArrayMetadata withShape(long[] newShape, int[] newChunks, int[] newShards) {
        return new ZarrArrayMetadata(newShape, newChunks, dtype, compressor, filters, fillValue, dimensionSeparator, format, newShards);
    }

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
        format = format == null ? ZarrFormat.V2 : format;
        if (shards != null) {
            if (format != ZarrFormat.V3 || shards.length != chunks.length) {
                throw new IllegalArgumentException("shards " + Arrays.toString(shards) + " need a v3 array of rank " + chunks.length);
            }
            for (int i = 0; i < shards.length; i++) {
                if (shards[i] < chunks[i] || shards[i] % chunks[i] != 0) {
                    throw new IllegalArgumentException("shard shape " + Arrays.toString(shards) + " is not a multiple of the chunk shape "
                            + Arrays.toString(chunks));
                }
            }
            shards = shards.clone();
        }
        shape = shape.clone();
        chunks = chunks.clone();
        filters = List.copyOf(filters);
        dimensionSeparator = dimensionSeparator == null ? (format == ZarrFormat.V3 ? "/" : ".") : dimensionSeparator;
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

    @Override
    public int[] shards() {
        return shards == null ? null : shards.clone();
    }

    public boolean sharded() {
        return shards != null;
    }

    /** Chunks along each dimension of one shard (all ones when the array is not sharded). */
    public int[] chunksPerShard() {
        int[] n = new int[chunks.length];
        for (int i = 0; i < n.length; i++) {
            n[i] = shards == null ? 1 : shards[i] / chunks[i];
        }
        return n;
    }

    /** Chunks in one shard: the entries of its index. */
    public int chunksInShard() {
        long n = 1;
        for (int c : chunksPerShard()) {
            n *= c;
        }
        return Math.toIntExact(n);
    }

    /** The shard holding a chunk (the chunk itself when the array is not sharded). */
    public long[] shardOf(long[] chunkIndex) {
        int[] per = chunksPerShard();
        long[] s = new long[chunkIndex.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = chunkIndex[i] / per[i];
        }
        return s;
    }

    /** Number of shards along each dimension (the chunk grid when the array is not sharded). */
    public long[] shardGrid() {
        long[] grid = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            long unit = shards == null ? chunks[i] : shards[i];
            grid[i] = (shape[i] + unit - 1) / unit;
        }
        return grid;
    }

    /** The chunk's entry in its shard's index: C order over the shard's chunk grid. */
    public int positionInShard(long[] chunkIndex) {
        int[] per = chunksPerShard();
        long p = 0;
        for (int i = 0; i < per.length; i++) {
            p = p * per[i] + chunkIndex[i] % per[i];
        }
        return (int) p;
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

    /**
     * The file holding a chunk, relative to the array directory: {@code 12.0} (v2), {@code c/12/0} (v3), or the
     * key of the chunk's shard (v3 sharded).
     */
    public String chunkKey(long... chunkIndex) {
        if (chunkIndex.length != shape.length) {
            throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " has the wrong rank for shape " + Arrays.toString(shape));
        }
        return storageKey(shardOf(chunkIndex));
    }

    /** The key of a stored object: a chunk, or in a sharded array a shard, by its index in the stored grid. */
    public String storageKey(long... index) {
        StringBuilder key = new StringBuilder();
        if (format == ZarrFormat.V3) {
            key.append('c').append(dimensionSeparator);
        }
        for (int i = 0; i < index.length; i++) {
            if (i > 0) {
                key.append(dimensionSeparator);
            }
            key.append(index[i]);
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

    /** The {@code .zarray} document of a v2 array. */
    public ObjectNode toJson() {
        if (format != ZarrFormat.V2) {
            throw new IllegalStateException("a v3 array's metadata is written by V3Metadata");
        }
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
