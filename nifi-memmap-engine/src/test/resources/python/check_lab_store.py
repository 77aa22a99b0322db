"""Opens a store converted from a SpikeGLX / Open Ephys / Neuroscope recording with zarr-python and checks it.

usage: check_lab_store.py STORE RAW CHANNELS EXPECTED_JSON
EXPECTED_JSON holds channel_ids, gain_to_uV, t_start and optionally group. Checks that the int16 traces equal the raw
file, that the properties equal the expected values, and that traces scaled with the stored gain and offset, as
SpikeInterface scales them, equal the raw int16 x gain. Prints 'OK <samples> <channels>'.
"""
import json
import sys

import numpy as np
import zarr


def fail(msg):
    print("FAIL " + msg)
    sys.exit(1)


store, raw, channels, expected = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
source = np.fromfile(raw, dtype="<i2").reshape(-1, channels)
g = zarr.open_group(store, mode="r")
traces = g["traces_seg0"][:]
if traces.dtype != np.dtype("<i2") or not np.array_equal(traces, source):
    fail("traces differ from the raw file")
ids = [str(x) for x in g["channel_ids"][:]]
if ids != [str(x) for x in expected["channel_ids"]]:
    fail("channel_ids %r" % ids)
props = g["properties"]
gain = props["gain_to_uV"][:]
offset = props["offset_to_uV"][:]
if gain.dtype != np.float64 or not np.allclose(gain, expected["gain_to_uV"], rtol=1e-12, atol=0):
    fail("gain_to_uV %r" % gain)
if not np.array_equal(offset, np.zeros(channels)):
    fail("offset_to_uV %r" % offset)
if "channel_name" in props and [str(x) for x in props["channel_name"][:]] != [str(x) for x in expected["channel_ids"]]:
    fail("channel_name %r" % props["channel_name"][:])
if "group" in expected and list(props["group"][:]) != expected["group"]:
    fail("group %r" % props["group"][:])
if not np.isclose(g["t_starts"][0], expected["t_start"], rtol=1e-15, atol=0):
    fail("t_starts %r" % g["t_starts"][:])
# SpikeInterface's get_traces(return_scaled=True): traces * gain_to_uV + offset_to_uV, in float32.
scaled = traces.astype("float32") * gain.astype("float32") + offset.astype("float32")
if not np.array_equal(scaled, source.astype("float32") * np.asarray(expected["gain_to_uV"], dtype="float32")):
    fail("scaled traces differ")
for name in ["traces_seg0", "channel_ids", "t_starts"] + ["properties/" + k for k in props.array_keys()]:
    if "_ARRAY_DIMENSIONS" not in g[name].attrs:
        fail(name + " lacks _ARRAY_DIMENSIONS")
print("OK %d %d" % source.shape)
