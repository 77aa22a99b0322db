package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** The chunk compressions this bundle writes, each a numcodecs pipeline zarr-python reads as it is. */
public enum Compression {
    /** numcodecs {@code Shuffle} filter then {@code Zstd}: the best ratio for int16 traces at ~450 MB/s per core. */
    ZSTD(ZstdCodec.DEFAULT_LEVEL, 1, 22),
    /** numcodecs {@code Blosc(cname="lz4", shuffle=SHUFFLE)}: zarr-python's default compressor, fastest to read. */
    BLOSC_LZ4(BloscCodec.DEFAULT_LEVEL, 0, 9),
    /** numcodecs {@code GZip}: readable by any gzip implementation, slow. */
    GZIP(GzipCodec.DEFAULT_LEVEL, 0, 9),
    /** Chunks stored raw ({@code "compressor": null}). */
    NONE(0, 0, 0);

    private final int defaultLevel;
    private final int minLevel;
    private final int maxLevel;

    Compression(int defaultLevel, int minLevel, int maxLevel) {
        this.defaultLevel = defaultLevel;
        this.minLevel = minLevel;
        this.maxLevel = maxLevel;
    }

    public static Compression parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    public int defaultLevel() {
        return defaultLevel;
    }

    /** The level to use: {@code -1} means the codec default; anything outside the codec's range is a configuration error. */
    public int resolveLevel(int level) {
        if (level == -1 || this == NONE) {
            return defaultLevel;
        }
        if (level < minLevel || level > maxLevel) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Compression level " + level + " is outside "
                    + minLevel + ".." + maxLevel + " for " + name());
        }
        return level;
    }

    /** The {@code compressor} entry of {@code .zarray}, or null for {@link #NONE}. */
    public ObjectNode compressorConfig(int level, int itemSize) {
        return switch (this) {
            case ZSTD -> new ZstdCodec(level).config();
            case BLOSC_LZ4 -> new BloscCodec("lz4", level, BloscCodec.SHUFFLE, 0, itemSize).config();
            case GZIP -> new GzipCodec(level).config();
            case NONE -> null;
        };
    }

    /** The {@code filters} entry of {@code .zarray}. */
    public List<JsonNode> filterConfigs(int itemSize) {
        return this == ZSTD ? List.of(new ShuffleFilter(itemSize).config()) : List.of();
    }
}
