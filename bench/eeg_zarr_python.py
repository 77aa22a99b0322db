"""Baseline for bench/eeg.sh: the same conversion with zarr-python 2.x + numcodecs.

usage: eeg_zarr_python.py RAW STORE {zstd|blosc-lz4} CHANNELS RATE CHUNK_SAMPLES THREADS [fsync]
Reads the int16 recording through np.memmap in chunk-aligned blocks and writes them with a thread pool
(zarr allows concurrent writes to different chunks), like a careful user would. With "fsync", every file
is forced to disk at the end, as the engine's atomic commit does. Prints key=value figures.
"""
import os
import pathlib
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numcodecs
import numpy as np
import zarr
from numcodecs import Blosc, Shuffle, Zstd

t0 = time.perf_counter()
raw, store, codec, channels, rate, chunk, threads = sys.argv[1:8]
durable = len(sys.argv) > 8 and sys.argv[8] == "fsync"
channels, rate, chunk, threads = int(channels), float(rate), int(chunk), int(threads)
mm = np.memmap(raw, dtype="<i2", mode="r").reshape(-1, channels)
if codec == "zstd":
    kwargs = dict(compressor=Zstd(level=3), filters=[Shuffle(elementsize=2)])
else:
    kwargs = dict(compressor=Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE))
root = zarr.open_group(store, mode="w")
root.attrs["sampling_frequency"] = rate
root.attrs["num_segments"] = 1
z = root.create_dataset("traces_seg0", shape=mm.shape, chunks=(chunk, channels), dtype="<i2", **kwargs)
root.create_dataset("channel_ids", data=np.arange(channels), compressor=None)
block = chunk * 16


def write(start):
    z[start:start + block] = mm[start:start + block]


def force(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


with ThreadPoolExecutor(threads) as pool:
    list(pool.map(write, range(0, mm.shape[0], block)))
    if durable:
        files = [str(p) for p in pathlib.Path(store).rglob("*")]
        list(pool.map(force, files))
seconds = time.perf_counter() - t0
stored = sum(p.stat().st_size for p in pathlib.Path(store).rglob("*") if p.is_file())
print("python_seconds=%.3f output_bytes=%d maxrss_mb=%.1f zarr=%s numcodecs=%s blosc_threads=%s"
      % (seconds, stored, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, zarr.__version__,
         numcodecs.__version__, numcodecs.blosc.get_nthreads() if hasattr(numcodecs.blosc, "get_nthreads") else "?"))
