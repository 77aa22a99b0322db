"""Checks that two index files hold the same index: byte-identical, or the same header, the same records in another
order, valid checksums and trees that answer the same counts for random boxes (two builders may order elements
that share a curve cell differently).

usage: same_index.py A B     (exit 1 if they differ; run with /usr/bin/python3 and PYTHONPATH=python)
"""
import filecmp
import sys

import numpy as np

from nifi_memmap_index import open_index

a_path, b_path = sys.argv[1], sys.argv[2]
if filecmp.cmp(a_path, b_path, shallow=False):
    print("byte-identical")
    sys.exit(0)
a, b = open_index(a_path, verify_data=True), open_index(b_path, verify_data=True)
problems = []
for what in ("count", "element_type", "node_size", "dtype", "bounds"):
    if getattr(a, what) != getattr(b, what):
        problems.append(f"{what}: {getattr(a, what)} vs {getattr(b, what)}")
if not problems:
    void = np.dtype((np.void, a.dtype.itemsize))
    ra = np.sort(np.ascontiguousarray(a.records).view(void))
    rb = np.sort(np.ascontiguousarray(b.records).view(void))
    if not np.array_equal(ra, rb):
        problems.append("the records differ")
    lo, hi = np.array(a.bounds[:3]), np.array(a.bounds[3:])
    rng = np.random.default_rng(7)
    for _ in range(200):
        c = lo + rng.random(3) * (hi - lo)
        h = rng.choice([2.0, 10.0, 50.0])
        if a.box_counts(c - h, c + h) != b.box_counts(c - h, c + h):
            problems.append(f"box {c - h}..{c + h} counts differ")
            break
if problems:
    print("DIFFER: " + "; ".join(problems))
    sys.exit(1)
print(f"same index, elements in another order ({a.count:,} records, same header, checksums valid, 200 box counts equal)")
