"""Writes a synthetic SONATA nodes file for the segment-index benchmark.

usage: make_segment_nodes.py OUT N MORPHOLOGY
N cells (population "bench") at uniform random positions in a cube of N x 50,000 um^3 (the cell density of
cortex), uniform random orientations (quaternions from normalised 4-D Gaussians), all using MORPHOLOGY through a
one-entry @library, as circuit files store morphology names.
"""
import sys

import h5py
import numpy as np

out, n, morphology = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(5)
side = (n * 50_000.0) ** (1 / 3)
pos = rng.uniform(0, side, (3, n))
q = rng.normal(size=(4, n))
q /= np.linalg.norm(q, axis=0)
with h5py.File(out, "w") as h:
    pop = h.create_group("nodes/bench")
    pop.create_dataset("node_type_id", data=np.full(n, -1, "int64"))
    pop.create_dataset("node_group_id", data=np.zeros(n, "uint32"))
    pop.create_dataset("node_group_index", data=np.arange(n, dtype="uint32"))
    g = pop.create_group("0")
    for axis, name in enumerate("xyz"):
        g.create_dataset(name, data=pos[axis])
    for c, name in enumerate("wxyz"):
        g.create_dataset("orientation_" + name, data=q[c])
    g.create_dataset("@library/morphology", data=np.array([morphology], dtype=h5py.string_dtype()))
    g.create_dataset("morphology", data=np.zeros(n, "uint64"))
