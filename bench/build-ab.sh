#!/usr/bin/env bash
# Whole-process A/B of two engines' index builds: the segment index of 10,000 cells (or the synapse index of 10M),
# each built in a fresh JVM with a 64 MiB heap, alternately by the engine classes in DIR_A and in DIR_B (compiled
# from two commits, e.g. copies of nifi-memmap-engine/target/classes), A first in odd rounds and B first in even
# ones. Prints every run (wall, user, sys) and each engine's median wall. Data as bench/build-speed.sh makes it.
# usage: bench/build-ab.sh ROUNDS DIR_A DIR_B [segment|synapse]
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
rounds=$1 a=$2 b=$3 kind=${4:-segment}
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
deps="$(cat nifi-memmap-bench/target/classpath.txt)"
out="${BENCH_DIR:-/tmp}/nifi-memmap-build-ab"
results="$(mktemp)"
trap 'rm -rf "$out" "$results"' EXIT
if [ "$kind" = segment ]; then
  args=(segment "$(segment_nodes 10000)" "$(pwd)/fixtures/sonata/circuit-10/morphologies/ascii" "$out")
else
  args=(synapse "$(synapse_edges 10000000)" "$out")
fi
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then order="A B"; else order="B A"; fi
  for e in $order; do
    [ "$e" = A ] && dir=$a || dir=$b
    rm -rf "$out"
    /usr/bin/time -f "$e wall %e s  user %U s  sys %S s" java -Xmx64m -XX:+UseParallelGC \
      -cp "nifi-memmap-bench/target/classes:$dir:$deps" org.nifimemmap.bench.BuildIndex "${args[@]}" 2>&1 | grep "^$e wall" | tee -a "$results"
  done
done
for e in A B; do
  grep "^$e " "$results" | awk '{print $3}' | sort -n |
    awk -v e=$e '{v[NR]=$1} END {printf "%s median wall %.2f s over %d runs (min %.2f s)\n", e, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, NR, v[1]}'
done
