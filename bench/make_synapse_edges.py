"""Writes a synthetic SONATA edges file for the synapse-index benchmark.

usage: make_synapse_edges.py OUT N
Synapses sit in 2,000 clusters (dendrites of 2,000 cells) inside a 2 mm cube, float32 afferent_center_*,
int64 node ids, datasets chunked by 65,536 rows without compression.
"""
import sys

import h5py
import numpy as np

out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(1)
cells = 2000
centres = rng.uniform(0, 2000, (cells, 3)).astype("float32")
chunk = (min(n, 65536),)
with h5py.File(out, "w") as h:
    g = h.create_group("edges/bench")
    a = g.create_group("0")
    ds = {name: a.create_dataset(name, (n,), "float32", chunks=chunk) for name in
          ("afferent_center_x", "afferent_center_y", "afferent_center_z")}
    src = g.create_dataset("source_node_id", (n,), "int64", chunks=chunk)
    tgt = g.create_dataset("target_node_id", (n,), "int64", chunks=chunk)
    step = 1 << 22
    for start in range(0, n, step):
        m = min(step, n - start)
        post = np.sort(rng.integers(0, cells, m))  # SONATA edge files are usually sorted by target
        pos = centres[post] + rng.normal(0, 60, (m, 3)).astype("float32")
        for axis, name in enumerate(("afferent_center_x", "afferent_center_y", "afferent_center_z")):
            ds[name][start:start + m] = pos[:, axis]
        src[start:start + m] = rng.integers(0, 100000, m)
        tgt[start:start + m] = post
