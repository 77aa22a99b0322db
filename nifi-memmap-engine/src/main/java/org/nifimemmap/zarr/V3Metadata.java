package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Zarr v3 {@code zarr.json} documents (core spec 3.0 and the {@code sharding_indexed} codec) to and from
 * {@link ZarrArrayMetadata}.
 *
 * <p>Codec chains map onto numcodecs configurations both ways: {@code bytes} gives the dtype's byte order;
 * {@code zstd}, {@code gzip} and {@code blosc} are the numcodecs codecs of the same name; {@code numcodecs.<id>}
 * (what zarr-python 3 writes for numcodecs' own codecs, e.g. {@code numcodecs.shuffle}) is numcodecs {@code <id>}.
 * Sharded arrays are read with their index at the end or the start, with or without {@code crc32c}; they are
 * written with the index at the end, as {@code bytes} (little-endian) then {@code crc32c}, which is what
 * zarr-python writes.
 *
 * <p>The byte shuffle before zstd is {@code numcodecs.shuffle}, as zarr-python 3 writes numcodecs' Shuffle (zarrita
 * reads it too): measured on int16 traces, plain {@code zstd} without it compressed 1.44:1 instead of 1.86:1 and
 * took three times the CPU ({@code bench/results/eeg-v3.txt}).
 *
 * <p>xarray's {@code _ARRAY_DIMENSIONS} attribute becomes {@code dimension_names} when written, and is
 * given back among the attributes when read, so callers see the same attributes in both formats.
 */
final class V3Metadata {
    static final String DIMENSIONS = "_ARRAY_DIMENSIONS";

    /** An array's metadata, where its shard index lies, and its user attributes. */
    record Parsed(ZarrArrayMetadata metadata, ShardIndex.Layout indexLayout, ObjectNode attributes) {
    }

    private V3Metadata() {
    }

    static ObjectNode groupJson(ObjectNode attributes) {
        ObjectNode n = Json.object();
        n.put("zarr_format", 3);
        n.put("node_type", "group");
        n.set("attributes", attributes == null ? Json.object() : attributes);
        return n;
    }

    static ObjectNode arrayJson(ZarrArrayMetadata md, ObjectNode attributes) {
        ObjectNode n = Json.object();
        n.put("zarr_format", 3);
        n.put("node_type", "array");
        ArrayNode shape = n.putArray("shape");
        for (long s : md.shape()) {
            shape.add(s);
        }
        boolean strings = md.dtype().kind() == 'U';
        n.put("data_type", strings ? "string" : dataType(md.dtype()));
        ArrayNode grid = n.putObject("chunk_grid").put("name", "regular").putObject("configuration").putArray("chunk_shape");
        for (int c : md.sharded() ? md.shards() : md.chunks()) {
            grid.add(c);
        }
        n.putObject("chunk_key_encoding").put("name", "default").putObject("configuration").put("separator", md.dimensionSeparator());
        n.set("fill_value", strings ? Json.object().textNode("") : md.fillValue() == null ? Json.object().nullNode() : md.fillValue());
        ArrayNode chunkCodecs = strings ? Json.array().add(codec("vlen-utf8", null)) : codecs(md);
        if (md.sharded()) {
            ObjectNode sharding = Json.object();
            ArrayNode inner = sharding.putArray("chunk_shape");
            for (int c : md.chunks()) {
                inner.add(c);
            }
            sharding.set("codecs", chunkCodecs);
            sharding.set("index_codecs", Json.array().add(bytes("little")).add(codec("crc32c", null)));
            sharding.put("index_location", "end");
            chunkCodecs = Json.array().add(codec("sharding_indexed", sharding));
        }
        n.set("codecs", chunkCodecs);
        ObjectNode attrs = attributes == null ? Json.object() : attributes.deepCopy();
        JsonNode dims = attrs.remove(DIMENSIONS);
        n.set("attributes", attrs);
        if (dims != null && dims.isArray()) {
            n.set("dimension_names", dims);
        }
        return n;
    }

    /** {@code bytes}, then the filters and the compressor as v3 codecs. */
    private static ArrayNode codecs(ZarrArrayMetadata md) {
        ArrayNode codecs = Json.array();
        codecs.add(bytes(md.dtype().size() == 1 ? null : md.dtype().order() == java.nio.ByteOrder.BIG_ENDIAN ? "big" : "little"));
        for (JsonNode f : md.filters()) {
            codecs.add(toV3(f, md.dtype().size()));
        }
        if (md.compressor() != null && !md.compressor().isNull()) {
            codecs.add(toV3(md.compressor(), md.dtype().size()));
        }
        return codecs;
    }

    private static ObjectNode bytes(String endian) {
        return codec("bytes", endian == null ? null : Json.object().put("endian", endian));
    }

    private static ObjectNode codec(String name, ObjectNode configuration) {
        ObjectNode c = Json.object().put("name", name);
        if (configuration != null) {
            c.set("configuration", configuration);
        }
        return c;
    }

    /** A numcodecs configuration as a v3 codec: the spec's own where there is one, else {@code numcodecs.<id>}. */
    static ObjectNode toV3(JsonNode numcodecs, int itemSize) {
        String id = numcodecs.path("id").asText("");
        return switch (id) {
            case "zstd" -> codec("zstd", Json.object().put("level", numcodecs.path("level").asInt(ZstdCodec.DEFAULT_LEVEL)).put("checksum", false));
            case "gzip" -> codec("gzip", Json.object().put("level", numcodecs.path("level").asInt(GzipCodec.DEFAULT_LEVEL)));
            case "blosc" -> codec("blosc", Json.object().put("cname", numcodecs.path("cname").asText("lz4"))
                    .put("clevel", numcodecs.path("clevel").asInt(BloscCodec.DEFAULT_LEVEL))
                    .put("shuffle", SHUFFLES.get(numcodecs.path("shuffle").asInt(BloscCodec.SHUFFLE)))
                    .put("typesize", itemSize)
                    .put("blocksize", numcodecs.path("blocksize").asInt(0)));
            default -> {
                ObjectNode config = ((ObjectNode) numcodecs).deepCopy();
                config.remove("id");
                yield codec("numcodecs." + id, config);
            }
        };
    }

    private static final List<String> SHUFFLES = List.of("noshuffle", "shuffle", "bitshuffle");

    static String dataType(ZarrDtype dtype) {
        return switch (dtype.kind()) {
            case 'b' -> "bool";
            case 'i' -> "int" + 8 * dtype.size();
            case 'u' -> "uint" + 8 * dtype.size();
            case 'f' -> "float" + 8 * dtype.size();
            default -> throw new IllegalArgumentException("no Zarr v3 data type for " + dtype.descriptor());
        };
    }

    private static final Map<String, String> DATA_TYPES = Map.ofEntries(Map.entry("bool", "b1"),
            Map.entry("int8", "i1"), Map.entry("int16", "i2"), Map.entry("int32", "i4"), Map.entry("int64", "i8"),
            Map.entry("uint8", "u1"), Map.entry("uint16", "u2"), Map.entry("uint32", "u4"), Map.entry("uint64", "u8"),
            Map.entry("float16", "f2"), Map.entry("float32", "f4"), Map.entry("float64", "f8"));

    /** Parses an array's {@code zarr.json}; {@code source} names the file in errors. */
    static Parsed parseArray(JsonNode n, String source) {
        try {
            return parse(n, source);
        } catch (IllegalArgumentException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, source + ": " + e.getMessage(), e);
        } catch (MemmapException e) {
            throw e.getMessage().startsWith(source) ? e : new MemmapException(e.kind(), source + ": " + e.getMessage(), e);
        }
    }

    private static Parsed parse(JsonNode n, String source) {
        if (n.path("zarr_format").asInt(-1) != 3 || !"array".equals(n.path("node_type").asText())) {
            throw invalid("not a Zarr v3 array (zarr_format " + n.path("zarr_format") + ", node_type " + n.path("node_type") + ")");
        }
        for (JsonNode t : n.path("storage_transformers")) {
            throw invalid("storage transformer " + t + " is not supported");
        }
        if (!"regular".equals(n.path("chunk_grid").path("name").asText())) {
            throw invalid("only regular chunk grids are supported, not " + n.path("chunk_grid"));
        }
        JsonNode keys = n.path("chunk_key_encoding");
        if (!"default".equals(keys.path("name").asText())) {
            throw invalid("only the default chunk key encoding is supported, not " + keys);
        }
        String separator = keys.path("configuration").path("separator").asText("/");
        if (!separator.equals("/") && !separator.equals(".")) {
            throw invalid("chunk key separator " + separator + " is neither / nor .");
        }
        long[] shape = longs(n.path("shape"), "shape");
        int[] grid = ints(n.path("chunk_grid").path("configuration").path("chunk_shape"), "chunk_shape", shape.length);
        String dataType = n.path("data_type").asText("");
        String kind = DATA_TYPES.get(dataType);
        if (kind == null) {
            throw invalid("unsupported data type " + n.path("data_type") + " (bool, int8-64, uint8-64 and float16-64 are read)");
        }
        Chain chain = chain(n.path("codecs"), kind, shape.length, false);
        int[] chunks = grid;
        int[] shards = null;
        ShardIndex.Layout layout = null;
        if (chain.sharding != null) {
            JsonNode config = chain.sharding;
            chunks = ints(config.path("chunk_shape"), "sharding chunk_shape", shape.length);
            shards = grid;
            chain = chain(config.path("codecs"), kind, shape.length, true);
            layout = indexLayout(config);
        }
        ObjectNode attributes = attributes(n);
        ZarrArrayMetadata md = new ZarrArrayMetadata(shape, chunks, chain.dtype, chain.compressor, chain.filters,
                n.get("fill_value"), separator, ZarrFormat.V3, shards);
        return new Parsed(md, layout, attributes);
    }

    /** A node's user attributes, with an array's {@code dimension_names} as {@code _ARRAY_DIMENSIONS}. */
    static ObjectNode attributes(JsonNode n) {
        ObjectNode attributes = n.path("attributes").isObject() ? (ObjectNode) n.get("attributes").deepCopy() : Json.object();
        JsonNode names = n.get("dimension_names");
        if (names != null && names.isArray() && !attributes.has(DIMENSIONS)) {
            attributes.set(DIMENSIONS, names);
        }
        return attributes;
    }

    /** A codec chain as numcodecs filters and compressor; {@code sharding} set when the chain is one sharding codec. */
    private record Chain(ZarrDtype dtype, List<JsonNode> filters, JsonNode compressor, JsonNode sharding) {
    }

    private static Chain chain(JsonNode codecs, String kind, int rank, boolean inner) {
        if (!codecs.isArray() || codecs.isEmpty()) {
            throw invalid("codecs must be a non-empty list, found " + codecs);
        }
        Iterator<JsonNode> it = codecs.iterator();
        JsonNode c = it.next();
        while (name(c).equals("transpose")) {
            JsonNode order = c.path("configuration").path("order");
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).asInt(-1) != i) {
                    throw invalid("transpose " + order + " is not supported (only C order)");
                }
            }
            c = it.hasNext() ? it.next() : null;
            if (c == null) {
                throw invalid("codecs " + codecs + " have no array-to-bytes codec");
            }
        }
        String order = "<";
        switch (name(c)) {
            case "bytes" -> order = "big".equals(c.path("configuration").path("endian").asText("little")) ? ">" : "<";
            case "sharding_indexed" -> {
                if (inner) {
                    throw invalid("nested sharding is not supported");
                }
                if (it.hasNext()) {
                    throw invalid("codecs after sharding_indexed are not supported: " + codecs);
                }
                return new Chain(null, List.of(), null, c.path("configuration"));
            }
            default -> throw invalid("array-to-bytes codec " + c + " is not supported (bytes or sharding_indexed)");
        }
        ZarrDtype dtype = ZarrDtype.parse((kind.endsWith("1") ? "|" : order) + kind);
        List<JsonNode> stages = new ArrayList<>();
        while (it.hasNext()) {
            stages.add(toNumcodecs(it.next()));
        }
        JsonNode compressor = stages.isEmpty() ? null : stages.remove(stages.size() - 1);
        if (compressor != null && "shuffle".equals(compressor.path("id").asText())) {
            stages.add(compressor);
            compressor = null;
        }
        for (JsonNode s : stages) {
            if (!"shuffle".equals(s.path("id").asText())) {
                throw invalid("codec " + s + " before the last one is not supported (only numcodecs.shuffle may precede the compressor)");
            }
        }
        // Build them once here, so that an unknown codec is reported when the array is opened.
        stages.forEach(s -> Codecs.fromConfig(s, dtype.size()).close());
        if (compressor != null) {
            Codecs.fromConfig(compressor, dtype.size()).close();
        }
        return new Chain(dtype, stages, compressor, null);
    }

    private static String name(JsonNode codec) {
        return codec.isTextual() ? codec.asText() : codec.path("name").asText("");
    }

    /** A v3 bytes-to-bytes codec as a numcodecs configuration. */
    private static JsonNode toNumcodecs(JsonNode codec) {
        String name = name(codec);
        JsonNode config = codec.path("configuration");
        return switch (name) {
            case "zstd" -> Json.object().put("id", "zstd").put("level", config.path("level").asInt(0));
            case "gzip" -> Json.object().put("id", "gzip").put("level", config.path("level").asInt(GzipCodec.DEFAULT_LEVEL));
            case "blosc" -> {
                int shuffle = SHUFFLES.indexOf(config.path("shuffle").asText("noshuffle"));
                if (shuffle < 0) {
                    throw invalid("blosc shuffle " + config.path("shuffle") + " is not noshuffle, shuffle or bitshuffle");
                }
                yield Json.object().put("id", "blosc").put("cname", config.path("cname").asText("lz4"))
                        .put("clevel", config.path("clevel").asInt(BloscCodec.DEFAULT_LEVEL)).put("shuffle", shuffle)
                        .put("blocksize", config.path("blocksize").asInt(0));
            }
            case "crc32c" -> throw invalid("crc32c inside a chunk's codecs is not supported (it is read in shard indexes)");
            default -> {
                if (!name.startsWith("numcodecs.")) {
                    throw invalid("codec " + codec + " is not supported (zstd, gzip, blosc, numcodecs.*)");
                }
                ObjectNode n = Json.object().put("id", name.substring("numcodecs.".length()));
                if (config.isObject()) {
                    n.setAll((ObjectNode) config.deepCopy());
                }
                yield n;
            }
        };
    }

    private static ShardIndex.Layout indexLayout(JsonNode sharding) {
        String location = sharding.path("index_location").asText("end");
        if (!location.equals("end") && !location.equals("start")) {
            throw invalid("sharding index_location " + location + " is neither end nor start");
        }
        JsonNode codecs = sharding.path("index_codecs");
        boolean checksum = false;
        int i = 0;
        for (JsonNode c : codecs) {
            String name = name(c);
            boolean ok = i == 0 ? name.equals("bytes") && !"big".equals(c.path("configuration").path("endian").asText("little"))
                    : i == 1 && name.equals("crc32c");
            if (!ok) {
                throw invalid("shard index codecs " + codecs + " are not supported (bytes little-endian, then optionally crc32c)");
            }
            checksum |= name.equals("crc32c");
            i++;
        }
        if (i == 0) {
            throw invalid("sharding_indexed has no index_codecs");
        }
        return new ShardIndex.Layout(location.equals("end"), checksum);
    }

    private static long[] longs(JsonNode array, String what) {
        if (!array.isArray() || array.isEmpty()) {
            throw invalid(what + " must be a non-empty list of integers, found " + array);
        }
        long[] v = new long[array.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = array.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong() || e.longValue() < 0) {
                throw invalid(what + " " + array + " must hold non-negative integers");
            }
            v[i] = e.longValue();
        }
        return v;
    }

    private static int[] ints(JsonNode array, String what, int rank) {
        long[] v = longs(array, what);
        if (v.length != rank) {
            throw invalid(what + " " + array + " does not have the array's rank " + rank);
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            if (v[i] < 1 || v[i] > Integer.MAX_VALUE) {
                throw invalid(what + " " + array + " must hold integers from 1 to 2^31-1");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    private static MemmapException invalid(String message) {
        return new MemmapException(ErrorKind.INVALID_INPUT, message);
    }
}
