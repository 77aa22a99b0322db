"""Opens a store written by EegConverter with zarr-python and compares every sample with the raw input.

usage: check_eeg_store.py STORE RAW DTYPE BYTEORDER HEADER CHANNELS RATE
Prints 'OK <samples> <channels> <chunks>' and exits 0 when everything matches; exits 1 with a reason otherwise.
"""
import json
import os
import sys

import numcodecs
import numpy as np
import zarr


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


store, raw, dtype, byteorder, header, channels, rate = sys.argv[1:8]
header, channels, rate = int(header), int(channels), float(rate)
source = np.fromfile(raw, dtype=np.dtype(("<" if byteorder == "little" else ">") + dtype), offset=header).reshape(-1, channels)

g = zarr.open_group(store, mode="r")
if g.attrs["sampling_frequency"] != rate or g.attrs["num_segments"] != 1:
    fail("group attrs %r" % dict(g.attrs))
traces = g["traces_seg0"]
if traces.dtype != np.dtype("<" + dtype) or traces.shape != source.shape:
    fail("traces %s %s vs %s" % (traces.dtype, traces.shape, source.shape))
data = traces[:]
if not np.array_equal(data, source, equal_nan=data.dtype.kind == "f"):
    bad = np.argwhere(data != source)
    fail("samples differ, first at %s" % (bad[0],))
if list(g["channel_ids"][:]) != list(range(channels)):
    fail("channel_ids %r" % g["channel_ids"][:])
if list(g["t_starts"][:]) != [0.0]:
    fail("t_starts %r" % g["t_starts"][:])
for name in ("traces_seg0", "channel_ids", "t_starts"):
    if "_ARRAY_DIMENSIONS" not in g[name].attrs:
        fail(name + " lacks _ARRAY_DIMENSIONS")

# The last chunk file must hold a full chunk: valid samples, then zero padding.
meta = json.load(open(os.path.join(store, "traces_seg0", ".zarray")))
rows = meta["chunks"][0]
nchunks = -(-source.shape[0] // rows)
buf = open(os.path.join(store, "traces_seg0", "%d.0" % (nchunks - 1)), "rb").read()
if meta["compressor"] is not None:
    buf = numcodecs.get_codec(meta["compressor"]).decode(buf)
for f in reversed(meta["filters"] or []):
    buf = numcodecs.get_codec(f).decode(buf)
last = np.frombuffer(bytes(buf), dtype=np.dtype("<" + dtype))
if last.size != rows * channels:
    fail("last chunk holds %d values, expected a full chunk of %d" % (last.size, rows * channels))
last = last.reshape(rows, channels)
valid = source.shape[0] - (nchunks - 1) * rows
if not np.array_equal(last[:valid], source[-valid:], equal_nan=last.dtype.kind == "f"):
    fail("last chunk data differ")
if np.any(last[valid:] != 0):
    fail("last chunk padding is not zero")
print("OK %d %d %d" % (source.shape[0], channels, nchunks))
