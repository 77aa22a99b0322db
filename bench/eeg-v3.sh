#!/usr/bin/env bash
# Zarr v3 with shards against Zarr v2, same conversion: ConvertEegToZarr's engine on the generated 2 GB recording of
# bench/eeg.sh (int16, 64 channels, 20 kHz), chunks of 32768 samples x 64 channels (4 MiB), v3 in shards of
# EEG_V3_SHARD samples (default 524288 = 16 chunks, 64 MiB raw). Runs alternate v2 and v3 so that both see the same
# machine; each is a whole JVM process timed from outside, -Xmx256m; the fastest wall time of the repetitions is kept.
# Codecs: the same in both formats: Blosc lz4 + byte shuffle frames (v3 core codec blosc), and Shuffle + Zstd(3)
# (v3: numcodecs.shuffle then the core zstd codec).
# Reported: throughput of both, v3/v2 throughput ratio (target >= 0.95), and the chunk files of each store: a v3 store
# must hold at most ceil(samples / shard) shard files (all channels are in one chunk, so no channel shards).
# Env: EEG_BENCH_BYTES (default 2000000000), EEG_BENCH_THREADS (default: nproc), EEG_BENCH_REPS (default 3),
# EEG_V3_SHARD (default 524288), EEG_BENCH_DIR (default $TMPDIR or /tmp).
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh

BYTES=${EEG_BENCH_BYTES:-2000000000}
THREADS=${EEG_BENCH_THREADS:-$(nproc)}
REPS=${EEG_BENCH_REPS:-3}
SHARD=${EEG_V3_SHARD:-524288}
CHANNELS=64
RATE=20000
CHUNK=32768

./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
CP="nifi-memmap-bench/target/nifi-memmap-bench-0.1.0-SNAPSHOT.jar:nifi-memmap-engine/target/nifi-memmap-engine-0.1.0-SNAPSHOT.jar:$(cat nifi-memmap-bench/target/classpath.txt)"
JAVA_FLAGS=(-Xmx256m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED)
if [ "$(java_major "$JAVA_HOME")" -ge 24 ]; then JAVA_FLAGS+=(--sun-misc-unsafe-memory-access=allow); fi

WORK=$(mktemp -d "${EEG_BENCH_DIR:-${TMPDIR:-/tmp}}/eeg-v3-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
REC="$WORK/recording.dat"

echo "# $(date -u +%FT%TZ) $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java -cp "$CP" org.nifimemmap.bench.EegConversionBenchmark generate "$REC" "$BYTES" $CHANNELS $RATE
SAMPLES=$(( $(stat -c %s "$REC") / (2 * CHANNELS) ))
echo "recording: $(stat -c %s "$REC") bytes, $SAMPLES samples x $CHANNELS ch; chunk=${CHUNK}x$CHANNELS shard=${SHARD}x$CHANNELS threads=$THREADS reps=$REPS"

# run LABEL FORMAT CODEC: prints "LABEL wall user sys maxrss_kb files | program's key=value line"
run() {
  local label=$1 format=$2 codec=$3
  rm -rf "$WORK/out.zarr"; sync; cat "$REC" > /dev/null
  local line
  line=$(/usr/bin/time -f "%e %U %S %M" -o "$WORK/t" java "${JAVA_FLAGS[@]}" -cp "$CP" org.nifimemmap.bench.EegConversionBenchmark \
    convert "$REC" "$WORK/out.zarr" "$codec" -1 $CHANNELS $RATE $CHUNK "$THREADS" "$format" "$([ "$format" = v3 ] && echo "$SHARD" || echo 0)")
  local files
  files=$(find "$WORK/out.zarr/traces_seg0" -type f ! -name '.z*' ! -name zarr.json | wc -l)
  echo "$label $(cat "$WORK/t") $files | $line"
}

printf '\n%-18s %8s %8s %8s %10s %7s  %s\n' run wall_s user_s sys_s maxrss_kb files details
for codec in BLOSC_LZ4 ZSTD; do
  for rep in $(seq "$REPS"); do
    run "v2-$codec" v2 $codec
    run "v3-$codec" v3 $codec
  done
done | tee "$WORK/runs" | awk '{printf "%-18s %8s %8s %8s %10s %7s  ", $1, $2, $3, $4, $5, $6; for (i = 8; i <= NF; i++) printf "%s ", $i; print ""}'

echo
echo "summary (best of $REPS; MB = 10^6 bytes of input; cpu = user + sys of that run; ratio = input / output bytes)"
awk -v bytes="$BYTES" -v samples="$SAMPLES" -v shard="$SHARD" '
  { label = $1; wall = $2
    if (!(label in best) || wall < best[label]) { best[label] = wall; cpu[label] = $3 + $4 }
    files[label] = $6
    for (i = 8; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "output_bytes") out[label] = kv[2]; if (kv[1] == "peak_heap_mb") heap[label] = kv[2] } }
  END {
    printf "%-18s %9s %9s %9s %12s %8s %13s\n", "run", "wall_s", "MB/s", "cpu_s", "comp_ratio", "files", "peak_heap_MB"
    n = split("v2-BLOSC_LZ4 v3-BLOSC_LZ4 v2-ZSTD v3-ZSTD", order, " ")
    for (k = 1; k <= n; k++) { l = order[k]; if (!(l in best)) continue
      printf "%-18s %9.2f %9.0f %9.2f %12.3f %8d %13s\n", l, best[l], bytes / 1e6 / best[l], cpu[l], bytes / out[l], files[l], heap[l] }
    bound = int((samples + shard - 1) / shard)
    split("BLOSC_LZ4 ZSTD", codecs, " ")
    for (k = 1; k <= 2; k++) { c = codecs[k]
      printf "%s: v3 sharded throughput = %.3f x v2 (target >= 0.95: %s); shard files %d <= ceil(%d / %d) = %d: %s; v2 chunk files %d\n", c,
        best["v2-" c] / best["v3-" c], (best["v2-" c] / best["v3-" c] >= 0.95) ? "met" : "NOT met", files["v3-" c], samples, shard, bound,
        (files["v3-" c] <= bound) ? "yes" : "NO", files["v2-" c] }
  }' "$WORK/runs"
