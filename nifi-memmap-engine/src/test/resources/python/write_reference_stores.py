"""Writes Zarr v2 arrays with zarr-python and numcodecs for the Java reader to decode.

usage: write_reference_stores.py OUTDIR
Each array NAME is written to OUTDIR/NAME.zarr with its full content in OUTDIR/NAME.bin (C order,
the array's dtype). Prints the names, one per line.
"""
import os
import sys

import numcodecs
import numpy as np
import zarr
from numcodecs import Blosc, GZip, Shuffle, Zlib, Zstd

out = sys.argv[1]
rng = np.random.default_rng(7)


def signal(shape, dtype):
    t = np.arange(shape[0])[:, None]
    x = 800 * np.sin(t / 17.0 + np.arange(shape[1])[None, :]) + rng.normal(0, 40, shape)
    return x.astype(dtype)


cases = {
    "blosc_lz4_shuffle_i2": dict(shape=(5003, 7), chunks=(1000, 7), dtype="<i2", compressor=Blosc("lz4", 5, Blosc.SHUFFLE)),
    "blosc_lz4_noshuffle_i4": dict(shape=(3001, 3), chunks=(512, 3), dtype="<i4", compressor=Blosc("lz4", 5, Blosc.NOSHUFFLE)),
    "blosc_lz4_small_blocks_f4": dict(shape=(4096, 5), chunks=(1024, 5), dtype="<f4", compressor=Blosc("lz4", 5, Blosc.SHUFFLE, blocksize=256)),
    "blosc_lz4hc_f8": dict(shape=(999, 4), chunks=(200, 4), dtype="<f8", compressor=Blosc("lz4hc", 9, Blosc.SHUFFLE)),
    "blosc_zstd_shuffle_u2": dict(shape=(2500, 6), chunks=(600, 6), dtype="<u2", compressor=Blosc("zstd", 3, Blosc.SHUFFLE)),
    "blosc_zlib_shuffle_i2": dict(shape=(2500, 6), chunks=(600, 6), dtype="<i2", compressor=Blosc("zlib", 5, Blosc.SHUFFLE)),
    "blosc_tiny_chunks_i2": dict(shape=(37, 2), chunks=(10, 2), dtype="<i2", compressor=Blosc("lz4", 5, Blosc.SHUFFLE)),
    "blosc_clevel0_i2": dict(shape=(1000, 4), chunks=(300, 4), dtype="<i2", compressor=Blosc("lz4", 0, Blosc.SHUFFLE)),
    # SpikeInterface's default compressor.
    "blosc_zstd_bitshuffle_i2": dict(shape=(5003, 7), chunks=(1000, 7), dtype="<i2", compressor=Blosc("zstd", 5, Blosc.BITSHUFFLE)),
    "blosc_lz4_bitshuffle_f4": dict(shape=(4096, 5), chunks=(1024, 5), dtype="<f4", compressor=Blosc("lz4", 5, Blosc.BITSHUFFLE)),
    "blosc_lz4_bitshuffle_odd_i2": dict(shape=(1001, 3), chunks=(1001, 3), dtype="<i2", compressor=Blosc("lz4", 5, Blosc.BITSHUFFLE)),
    "blosc_lz4_bitshuffle_i4_small_blocks": dict(shape=(3001, 3), chunks=(700, 3), dtype="<i4", compressor=Blosc("lz4", 5, Blosc.BITSHUFFLE, blocksize=1000)),
    "zstd_i2": dict(shape=(4000, 8), chunks=(1024, 8), dtype="<i2", compressor=Zstd(level=5)),
    "zstd_shuffle_i2": dict(shape=(4000, 8), chunks=(1024, 8), dtype="<i2", compressor=Zstd(level=3), filters=[Shuffle(elementsize=2)]),
    "gzip_f4": dict(shape=(1500, 3), chunks=(400, 3), dtype="<f4", compressor=GZip(level=6)),
    "zlib_i4": dict(shape=(1500, 3), chunks=(400, 3), dtype="<i4", compressor=Zlib(level=4)),
    "none_big_endian_i2": dict(shape=(1234, 5), chunks=(500, 5), dtype=">i2", compressor=None),
    "chunked_channels_i2": dict(shape=(3000, 10), chunks=(1000, 4), dtype="<i2", compressor=Blosc("lz4", 5, Blosc.SHUFFLE)),
    "nested_separator_i2": dict(shape=(3000, 4), chunks=(1000, 4), dtype="<i2", compressor=Zstd(level=1), dimension_separator="/"),
}

for name, c in cases.items():
    data = signal(c["shape"], np.dtype(c["dtype"]))
    kwargs = {k: v for k, v in c.items() if k in ("compressor", "filters", "dimension_separator")}
    z = zarr.open_array(os.path.join(out, name + ".zarr"), mode="w", shape=c["shape"], chunks=c["chunks"],
                        dtype=c["dtype"], fill_value=0, **kwargs)
    z[:] = data
    data.astype(c["dtype"]).tofile(os.path.join(out, name + ".bin"))
    print(name)

# A chunk that was never written reads as the fill value.
z = zarr.open_array(os.path.join(out, "missing_chunk_i2.zarr"), mode="w", shape=(300, 2), chunks=(100, 2), dtype="<i2",
                    fill_value=-7, compressor=Zstd(level=1))
data = np.full((300, 2), -7, dtype="<i2")
data[:100] = signal((100, 2), np.int16)
data[200:] = signal((100, 2), np.int16)
z[:100] = data[:100]
z[200:] = data[200:]
data.tofile(os.path.join(out, "missing_chunk_i2.bin"))
print("missing_chunk_i2")
