"""Codec ceiling of numcodecs for bench/eeg.sh: encodes the first GiB of RAW in chunks, in memory, one thread.

usage: eeg_codec_python.py RAW {zstd|blosc-lz4} CHANNELS CHUNK_SAMPLES
"""
import sys
import time

import numpy as np
from numcodecs import Blosc, Shuffle, Zstd

raw, codec, channels, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
mm = np.memmap(raw, dtype="<i2", mode="r")
values = chunk * channels
n = min(mm.size, (1 << 30) // 2) // values
chunks = [np.array(mm[i * values:(i + 1) * values]) for i in range(n)]
if codec == "zstd":
    shuffle, zstd = Shuffle(elementsize=2), Zstd(level=3)
    encode = lambda c: zstd.encode(shuffle.encode(c))
else:
    blosc = Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE)
    encode = blosc.encode
for rep in range(2):
    t0 = time.perf_counter()
    out = sum(len(encode(c)) for c in chunks)
    seconds = time.perf_counter() - t0
nbytes = n * values * 2
print("codec=%s threads=1 bytes=%d seconds=%.3f MB/s=%.0f ratio=%.3f" % (codec, nbytes, seconds, nbytes / 1e6 / seconds, nbytes / out))
