package org.nifimemmap.zarr;

import java.util.Locale;

/**
 * The Zarr format a store is written in. v2 is what zarr-python 2 and SpikeInterface read everywhere; v3 (one
 * {@code zarr.json} per node, codec chains, sharding) is what zarr-python 3, zarrita and tensorstore write, and lets
 * a long recording live in a few shard files instead of one file per chunk.
 */
public enum ZarrFormat {
    V2,
    V3;

    public static ZarrFormat parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /** The value of {@code zarr_format} in the metadata. */
    public int number() {
        return this == V2 ? 2 : 3;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
