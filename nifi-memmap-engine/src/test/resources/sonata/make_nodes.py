"""Writes a small SONATA nodes file (population "cells") whose rotations are given as Euler angles or as the
equivalent quaternions, computed here with numpy independently of the Java code.

usage: make_nodes.py OUT N SEED MORPHOLOGY euler|quaternion [--no-x] [--nan-x ROW] [--odd-morphology NAME] [--names K]
Node i gets position uniform in [0, 500)^3 and random angles; R = Rx(ax) . Ry(ay) . Rz(az) as SONATA specifies.
With --names K, node i uses morphology MORPHOLOGY + str(i % K).
"""
import sys

import h5py
import numpy as np

out, n, seed, morphology, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
rng = np.random.default_rng(seed)
pos = rng.uniform(0, 500, (3, n))
angles = rng.uniform(-np.pi, np.pi, (3, n))


def rx(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def ry(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rz(a):
    c, s = np.cos(a), np.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def quaternion(m):
    """(w, x, y, z) of a rotation matrix, branching on the largest diagonal term for accuracy."""
    t = np.trace(m)
    if t > 0:
        s = 2 * np.sqrt(1 + t)
        return np.array([s / 4, (m[2, 1] - m[1, 2]) / s, (m[0, 2] - m[2, 0]) / s, (m[1, 0] - m[0, 1]) / s])
    i = int(np.argmax(np.diag(m)))
    j, k = (i + 1) % 3, (i + 2) % 3
    s = 2 * np.sqrt(1 + m[i, i] - m[j, j] - m[k, k])
    q = np.empty(4)
    q[0] = (m[k, j] - m[j, k]) / s
    q[1 + i] = s / 4
    q[1 + j] = (m[j, i] + m[i, j]) / s
    q[1 + k] = (m[k, i] + m[i, k]) / s
    return q


with h5py.File(out, "w") as h:
    g = h.create_group("nodes/cells/0")
    h["nodes/cells"].create_dataset("node_type_id", data=np.full(n, -1, "int64"))
    for axis, name in enumerate("xyz"):
        if name == "x" and "--no-x" in sys.argv:
            continue
        column = pos[axis].copy()
        if name == "x" and "--nan-x" in sys.argv:
            column[int(sys.argv[sys.argv.index("--nan-x") + 1])] = np.nan
        g.create_dataset(name, data=column)
    if mode == "euler":
        for axis, name in enumerate(("xaxis", "yaxis", "zaxis")):
            g.create_dataset("rotation_angle_" + name, data=angles[axis])
    else:
        q = np.array([quaternion(rx(angles[0, i]) @ ry(angles[1, i]) @ rz(angles[2, i])) for i in range(n)])
        for c, name in enumerate("wxyz"):
            g.create_dataset("orientation_" + name, data=q[:, c])
    names = [morphology] * n
    if "--names" in sys.argv:
        k = int(sys.argv[sys.argv.index("--names") + 1])
        names = [morphology + str(i % k) for i in range(n)]
    if "--odd-morphology" in sys.argv:
        names[1::2] = [sys.argv[sys.argv.index("--odd-morphology") + 1]] * (n // 2)
    g.create_dataset("morphology", data=np.array(names, dtype=h5py.string_dtype()))
