"""numpy + zarr-python baseline for bench/restrict.sh: restrict a Zarr recording to intervals the way a
pynapple user would (IntervalSet normalisation, Tsd timestamps np.arange(n)/fs + t0 rounded to 9 decimals,
searchsorted), reading only the needed slices with zarr-python and writing each kept interval as a segment
with the source's chunks, compressor and filters. Prints one JSON line of figures."""
import json
import resource
import sys
import time

import numpy as np
import zarr


def normalise(start, end):
    """pynapple IntervalSet(start, end): round to 9 decimals, sort each if needed, then _jitfix_iset."""
    start, end = np.round(np.asarray(start, float), 9), np.round(np.asarray(end, float), 9)
    if not (np.diff(start) > 0).all():
        start = np.sort(start)
    if not (np.diff(end) > 0).all():
        end = np.sort(end)
    out, i, m = [], 0, len(start)
    while i < m:
        ns, ne = start[i], end[i]
        while i < m:
            if end[i] == start[i]:
                i += 1
            else:
                ns, ne = start[i], end[i]
                break
        while i < m:
            if end[i] < start[i]:
                i += 1
            else:
                ns, ne = start[i], end[i]
                break
        if i >= m:
            break
        while i < m - 1:
            if start[i + 1] < end[i]:
                i += 1
                ne = max(end[i - 1], end[i])
            else:
                break
        if i < m - 1 and ne == start[i + 1]:
            ne -= 1.0e-6
        out.append((ns, ne))
        i += 1
    return np.array(out).reshape(-1, 2)


class CountingStore(zarr.storage.DirectoryStore):
    bytes_read = 0

    def __getitem__(self, key):
        value = super().__getitem__(key)
        CountingStore.bytes_read += len(value)
        return value


def main(src, intervals_file, out):
    t_begin = time.perf_counter()
    spec = json.load(open(intervals_file))
    iset = normalise(spec["start"], spec["end"])
    g = zarr.open_group(CountingStore(src), mode="r")
    fs = g.attrs["sampling_frequency"]
    a = g["traces_seg0"]
    t0 = np.nan_to_num(g["t_starts"][:], nan=0.0)[0] if "t_starts" in g else 0.0
    t = np.round(np.arange(a.shape[0]) / fs + t0, 9)
    lo = np.searchsorted(t, iset[:, 0], side="left")
    hi = np.searchsorted(t, iset[:, 1], side="right")
    o = zarr.open_group(out, mode="w")
    segments, samples, t_starts = 0, 0, []
    for x, y in zip(lo, hi):
        if y <= x:
            continue
        data = a[x:y]
        o.create_dataset("traces_seg%d" % segments, data=data, chunks=(min(a.chunks[0], y - x), a.chunks[1]),
                         compressor=a.compressor, filters=a.filters)
        t_starts.append(t[x])
        segments += 1
        samples += y - x
    o.create_dataset("t_starts", data=np.array(t_starts))
    o.attrs["sampling_frequency"] = fs
    o.attrs["num_segments"] = segments
    seconds = time.perf_counter() - t_begin
    print(json.dumps({"seconds": seconds, "segments": segments, "samples": int(samples),
                      "bytes_read": CountingStore.bytes_read,
                      "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
