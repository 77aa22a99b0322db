#!/usr/bin/env bash
# Index build speed, whole process (JVM start to exit): the segment index of 10,000 cells (21.99M elements) and the
# synapse index of 10M synapses, each built in a fresh JVM with a 64 MiB heap, alternately by the engine of a
# baseline commit (default 1c1d582, the builders before the distribution sort) and by this tree's engine, in the
# same run. Prints every run (wall, user, sys, peak RSS, peak heap), the medians and their ratio, and checks that
# both engines write the same index (bench/same_index.py): byte-identical, or the same header and records with
# valid checksums and trees that count the same for random boxes. Since curve keys are taken at a segment's
# midpoint instead of its box centre computed through the radius (equal but for rounding), a few segments that
# fall on a curve-cell boundary are ordered differently.
# usage: bench/build-speed.sh [ROUNDS]   (default 3); data goes to $BENCH_DIR (default /tmp); BASELINE=<commit>
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
rounds="${1:-3}"
baseline="${BASELINE:-1c1d582}"
work="${BENCH_DIR:-/tmp}"
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
edges="$(synapse_edges 10000000)"
nodes="$(segment_nodes 10000)"
morphologies="$(pwd)/fixtures/sonata/circuit-10/morphologies/ascii"

# The baseline engine, compiled from its commit in a detached worktree kept under $work.
base_src="$work/nifi-memmap-build-baseline-$baseline"
if [ ! -d "$base_src/nifi-memmap-engine/target/classes" ]; then
  git worktree remove --force "$base_src" 2>/dev/null || rm -rf "$base_src"
  git worktree add --detach "$base_src" "$baseline" >/dev/null
  (cd "$base_src" && ./mvnw -B -q -ntp -pl nifi-memmap-engine -am package -DskipTests)
fi
deps="$(cat nifi-memmap-bench/target/classpath.txt)"
cp_now="nifi-memmap-bench/target/classes:nifi-memmap-engine/target/classes:$deps"
cp_base="nifi-memmap-bench/target/classes:$base_src/nifi-memmap-engine/target/classes:$deps"
out="$work/nifi-memmap-build-speed"
results="$(mktemp)"
trap 'rm -rf "$out" "$results"' EXIT

# run ENGINE KIND: one build in a fresh JVM; appends "engine kind wall user sys rss_kb heap_mib" to $results.
run() {
  local engine=$1 kind=$2 cp args
  [ "$engine" = baseline ] && cp=$cp_base || cp=$cp_now
  rm -rf "$out/$engine/$kind"
  if [ "$kind" = segment ]; then args=(segment "$nodes" "$morphologies" "$out/$engine/$kind"); else args=(synapse "$edges" "$out/$engine/$kind"); fi
  local log; log="$(mktemp)"
  /usr/bin/time -f "TIME %e %U %S %M" java -Xmx64m -XX:+UseParallelGC -cp "$cp" org.nifimemmap.bench.BuildIndex "${args[@]}" \
    >"$log" 2>&1 || { cat "$log"; exit 1; }
  local heap; heap="$(grep -o 'peak heap [0-9.]*' "$log" | awk '{print $3}')"
  read -r wall user sys rss < <(grep '^TIME' "$log" | cut -d' ' -f2-)
  printf '%-8s %-7s wall %6.2f s  user %6.2f s  sys %5.2f s  peak RSS %5d MiB  peak heap %5.1f MiB  (load %s)\n' \
    "$engine" "$kind" "$wall" "$user" "$sys" $((rss / 1024)) "$heap" "$(cut -d' ' -f1 /proc/loadavg)"
  echo "$engine $kind $wall $user $sys $rss $heap" >>"$results"
  rm -f "$log"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1); baseline $baseline, this tree $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
for ((r = 1; r <= rounds; r++)); do
  for kind in segment synapse; do
    # Alternate which engine goes first, so neither always meets a warm or a cold page cache.
    if ((r % 2)); then run baseline $kind; run current $kind; else run current $kind; run baseline $kind; fi
  done
done
for kind in segment synapse; do
  a="$(find "$out/baseline/$kind" -name index.nmsidx)"; b="$(find "$out/current/$kind" -name index.nmsidx)"
  same="$(PYTHONPATH=python /usr/bin/python3 bench/same_index.py "$a" "$b")" || { echo "$kind: $same"; exit 1; }
  echo "$kind: $same"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for kind in segment synapse; do
  base="$(awk -v k=$kind '$1 == "baseline" && $2 == k {print $3}' "$results" | median)"
  now="$(awk -v k=$kind '$1 == "current" && $2 == k {print $3}' "$results" | median)"
  heap="$(awk -v k=$kind '$1 == "current" && $2 == k {print $7}' "$results" | sort -n | tail -1)"
  awk -v k=$kind -v b="$base" -v n="$now" -v h="$heap" -v r="$rounds" \
    'BEGIN {printf "%s: median wall over %d rounds: baseline %.2f s, this tree %.2f s: %.2fx faster; peak heap %.1f MiB\n", k, r, b, n, b / n, h}'
done
