"""Writes a synthetic SONATA edges file and prints, as JSON, what a box query over it must return.

usage: make_edges.py OUT N ID_DTYPE POS_DTYPE SEED [--nan-row R] [--short-target]
The oracle is numpy: edge rows inside the box [100,300]^3 and their counts per target_node_id.
"""
import json
import sys

import h5py
import numpy as np

out, n, id_dtype, pos_dtype, seed = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
rng = np.random.default_rng(seed)
id_offset = 2**33 if id_dtype == "uint64" else 0  # uint64 files get ids that need more than 32 bits
src = (rng.integers(0, 500, n) + id_offset).astype(id_dtype)
tgt = (rng.integers(0, 50, n) + id_offset).astype(id_dtype)
pos = rng.uniform(0, 1000, (3, n)).astype(pos_dtype)
if "--nan-row" in sys.argv:
    pos[1, int(sys.argv[sys.argv.index("--nan-row") + 1])] = np.nan
section = rng.integers(0, 400, n).astype("int16")
chunk = max(1, min(n, 1000))
with h5py.File(out, "w") as h:
    g = h.create_group("edges/generated")
    g.create_dataset("source_node_id", data=src, chunks=(chunk,), compression="gzip")
    g.create_dataset("target_node_id", data=tgt[:-1] if "--short-target" in sys.argv else tgt, chunks=True)
    g.create_dataset("edge_type_id", data=np.zeros(n, "int64"))
    a = g.create_group("0")
    for axis, name in enumerate("xyz"):
        a.create_dataset("afferent_center_" + name, data=pos[axis], chunks=(chunk,), compression="gzip", shuffle=True)
    a.create_dataset("afferent_section_id", data=section)
inside = np.all((pos >= 100) & (pos <= 300), axis=0)
rows = np.nonzero(inside)[0]
by_post = {}
for t in tgt[rows]:
    by_post[str(int(t))] = by_post.get(str(int(t)), 0) + 1
print(json.dumps({"rows": [int(r) for r in rows], "by_post": by_post,
                  "sections": [int(s) for s in section[rows]], "pre": [str(int(s)) for s in src[rows]]}))
