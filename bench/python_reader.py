"""Small-box query latency of python/nifi_memmap_index on a synapse index, next to a numpy full scan of the same
mapped records (the format doc's snippet, vectorised), both answering the same queries."""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))
import nifi_memmap_index as nmi  # noqa: E402

index = nmi.open_index(sys.argv[1])
side = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
rng = np.random.default_rng(3)
picks = rng.integers(0, index.count, 2_000)
centres = np.stack([index.records["x"][picks], index.records["y"][picks], index.records["z"][picks]], 1).astype(np.float64)
print(f"index: {index.count:,} synapses, {os.path.getsize(index.path):,} bytes; numpy {np.__version__}")

t0 = time.perf_counter()
nmi.open_index(sys.argv[1])
print(f"open (header, CRC-32 of the header, map): {(time.perf_counter() - t0) * 1e3:.3f} ms")
for c in centres[:200]:  # warm-up
    index.box_counts(c - side / 2, c + side / 2)
lat, counts = [], []
for c in centres:
    t = time.perf_counter()
    counts.append(index.box_counts(c - side / 2, c + side / 2))
    lat.append(time.perf_counter() - t)
lat = np.array(lat) * 1e6
print(f"{len(lat):,} box queries ({side:g} um side, centred on random synapses, best_effort) through the tree: "
      f"mean {lat.mean():.0f} us, p50 {np.median(lat):.0f} us, p99 {np.percentile(lat, 99):.0f} us, {np.mean(counts):.1f} matches/query")

x, y, z = (index.records[k] for k in ("x", "y", "z"))
scan = []
for c, expected in zip(centres[:20], counts[:20]):
    lo, hi = c - side / 2, c + side / 2
    t = time.perf_counter()
    n = int(np.count_nonzero((x >= lo[0]) & (x <= hi[0]) & (y >= lo[1]) & (y <= hi[1]) & (z >= lo[2]) & (z <= hi[2])))
    scan.append(time.perf_counter() - t)
    assert n == expected, (n, expected)
scan = np.array(scan) * 1e6
print(f"baseline numpy full scan of the mapped records: mean {scan.mean() / 1e3:.1f} ms over {len(scan)} queries (same answers); "
      f"tree walk is {scan.mean() / lat.mean():.0f}x faster by mean")
