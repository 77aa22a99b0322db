#!/usr/bin/env bash
# EEG -> Zarr benchmark: ConvertEegToZarr's engine against zarr-python + numcodecs on the same generated
# recording (int16, 64 channels, 20 kHz, 2 GB), the same chunks (32768 samples x 64 channels = 4 MiB) and
# the same codecs (Shuffle + Zstd(3); Blosc lz4 clevel 5 with byte shuffle).
# Every conversion is a whole process timed from outside (JVM / interpreter start included). The engine runs
# with -Xmx256m to show its heap does not grow with the input. Each measurement is repeated and the fastest
# wall time kept, because this machine's 2 cores are shared with other builds.
# Rows: engine-* = our engine (whole JVM); python1-* = zarr-python writing chunk-aligned blocks from one
# thread (how zarr-python is usually called); python-* = the same from THREADS threads; python-fsync-* =
# threads plus an fsync of every file at the end, the durability the engine's atomic commit provides.
# Env: EEG_BENCH_BYTES (default 2000000000), EEG_BENCH_THREADS (default: nproc), EEG_BENCH_REPS (default 3),
# EEG_BENCH_DIR (where the recording and stores go; default $TMPDIR or /tmp; /dev/shm takes the disk out).
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh

BYTES=${EEG_BENCH_BYTES:-2000000000}
THREADS=${EEG_BENCH_THREADS:-$(nproc)}
REPS=${EEG_BENCH_REPS:-3}
CHANNELS=64
RATE=20000
CHUNK=32768
PY=/usr/bin/python3

./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
CP="nifi-memmap-bench/target/nifi-memmap-bench-0.1.0-SNAPSHOT.jar:nifi-memmap-engine/target/nifi-memmap-engine-0.1.0-SNAPSHOT.jar:$(cat nifi-memmap-bench/target/classpath.txt)"
JAVA_FLAGS=(-Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED)
if [ "$(java_major "$JAVA_HOME")" -ge 24 ]; then JAVA_FLAGS+=(--sun-misc-unsafe-memory-access=allow); fi

WORK=$(mktemp -d "${EEG_BENCH_DIR:-${TMPDIR:-/tmp}}/eeg-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
REC="$WORK/recording.dat"

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1), $($PY -c 'import zarr, numcodecs; print("zarr", zarr.__version__, "numcodecs", numcodecs.__version__)')"
/usr/bin/time -f "%e" -o "$WORK/t" java -cp "$CP" org.nifimemmap.bench.EegConversionBenchmark generate "$REC" "$BYTES" $CHANNELS $RATE
echo "generated $(stat -c %s "$REC") bytes ($CHANNELS ch int16 @ $RATE Hz: pink-ish background, theta/gamma, spikes) in $(cat "$WORK/t") s"
echo "threads=$THREADS chunk=${CHUNK}x$CHANNELS reps=$REPS (best wall kept)"
echo
echo "codec ceiling: the first GiB encoded chunk by chunk in memory, no disk (engine: second pass; numcodecs: one thread,"
echo "but numcodecs' Blosc runs its own $(nproc) threads inside):"
for c in ZSTD BLOSC_LZ4; do
  for t in 1 "$THREADS"; do
    echo "  engine   $(java "${JAVA_FLAGS[@]}" -cp "$CP" org.nifimemmap.bench.EegConversionBenchmark codec "$REC" $c $CHANNELS $CHUNK "$t")"
  done
  echo "  numcodecs $($PY bench/eeg_codec_python.py "$REC" "$([ $c = ZSTD ] && echo zstd || echo blosc-lz4)" $CHANNELS $CHUNK)"
done

# run LABEL COMMAND...: prints "LABEL wall user sys maxrss_kb | program's own key=value line"
run() {
  local label=$1; shift
  rm -rf "$WORK/out.zarr"; sync; cat "$REC" > /dev/null
  local line
  line=$(/usr/bin/time -f "%e %U %S %M" -o "$WORK/t" "$@")
  echo "$label $(cat "$WORK/t") | $line"
}

printf '\n%-22s %8s %8s %8s %10s  %s\n' run wall_s user_s sys_s maxrss_kb details
for codec in zstd blosc-lz4; do
  engine_codec=$([ $codec = zstd ] && echo ZSTD || echo BLOSC_LZ4)
  for rep in $(seq "$REPS"); do
    run "engine-$codec" java "${JAVA_FLAGS[@]}" -cp "$CP" org.nifimemmap.bench.EegConversionBenchmark convert "$REC" "$WORK/out.zarr" "$engine_codec" -1 $CHANNELS $RATE $CHUNK "$THREADS"
    run "python1-$codec" $PY bench/eeg_zarr_python.py "$REC" "$WORK/out.zarr" $codec $CHANNELS $RATE $CHUNK 1
    run "python-$codec" $PY bench/eeg_zarr_python.py "$REC" "$WORK/out.zarr" $codec $CHANNELS $RATE $CHUNK "$THREADS"
    run "python-fsync-$codec" $PY bench/eeg_zarr_python.py "$REC" "$WORK/out.zarr" $codec $CHANNELS $RATE $CHUNK "$THREADS" fsync
  done
done | tee "$WORK/runs" | awk '{printf "%-22s %8s %8s %8s %10s  ", $1, $2, $3, $4, $5; for (i = 7; i <= NF; i++) printf "%s ", $i; print ""}'

echo
echo "summary (best of $REPS; MB = 10^6 bytes of input; cpu = user + sys; ratio = input / output bytes)"
awk -v bytes="$BYTES" -v threads="$THREADS" '
  { label = $1; wall = $2; cpu = $3 + $4; rss = $5
    if (!(label in best) || wall < best[label]) { best[label] = wall; bestcpu[label] = cpu }
    if (rss > peakrss[label]) peakrss[label] = rss
    for (i = 7; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "output_bytes") out[label] = kv[2]; if (kv[1] == "peak_heap_mb") heap[label] = kv[2] } }
  END {
    printf "%-22s %9s %9s %9s %12s %12s %14s\n", "run", "wall_s", "MB/s", "cpu_s", "comp_ratio", "peak_rss_MB", "peak_heap_MB"
    n = split("engine-zstd python1-zstd python-zstd python-fsync-zstd engine-blosc-lz4 python1-blosc-lz4 python-blosc-lz4 python-fsync-blosc-lz4", order, " ")
    for (k = 1; k <= n; k++) { l = order[k]; if (!(l in best)) continue
      printf "%-22s %9.2f %9.0f %9.2f %12.3f %12.0f %14s\n", l, best[l], bytes / 1e6 / best[l], bestcpu[l], bytes / out[l], peakrss[l] / 1024, (l in heap) ? heap[l] : "-" }
    split("zstd blosc-lz4", codecs, " ")
    for (k = 1; k <= 2; k++) { c = codecs[k]
      printf "%s: engine throughput = %.2fx zarr-python (1 thread), %.2fx zarr-python (%s threads), %.2fx zarr-python (%s threads) + fsync; cpu engine/zarr-python = %.2f\n", c,
        best["python1-" c] / best["engine-" c], best["python-" c] / best["engine-" c], threads, best["python-fsync-" c] / best["engine-" c], threads,
        bestcpu["engine-" c] / bestcpu["python-" c] }
  }' "$WORK/runs"
