package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Builds codecs from the numcodecs configurations found in {@code .zarray} files. */
public final class Codecs {
    private Codecs() {
    }

    /**
     * A codec for a numcodecs configuration: {@code shuffle}, {@code zstd}, {@code gzip}, {@code zlib}, or
     * {@code blosc} (with lz4, lz4hc, zstd or zlib inside).
     *
     * @param itemSize the array's element size, used by blosc when it compresses
     */
    public static Codec fromConfig(JsonNode config, int itemSize) {
        String id = config.path("id").asText("");
        try {
            return switch (id) {
                case "shuffle" -> new ShuffleFilter(config.path("elementsize").asInt(itemSize));
                case "zstd" -> new ZstdCodec(config.path("level").asInt(ZstdCodec.DEFAULT_LEVEL));
                case "gzip" -> new GzipCodec(config.path("level").asInt(GzipCodec.DEFAULT_LEVEL));
                case "zlib" -> new ZlibCodec(config.path("level").asInt(1));
                case "blosc" -> new BloscCodec(config.path("cname").asText("lz4"), config.path("clevel").asInt(5),
                        config.path("shuffle").asInt(BloscCodec.SHUFFLE), config.path("blocksize").asInt(0), itemSize);
                default -> throw new MemmapException(ErrorKind.INVALID_INPUT, "Unsupported Zarr codec " + config);
            };
        } catch (IllegalArgumentException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Unsupported Zarr codec configuration " + config + ": " + e.getMessage(), e);
        }
    }

    static MemmapException corrupt(String codec, String detail) {
        return new MemmapException(ErrorKind.INVALID_INPUT, "corrupt " + codec + " data: " + detail);
    }
}
