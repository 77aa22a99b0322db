#!/usr/bin/env bash
# Synapse index benchmark: generates SONATA edges files (h5py) of 1M and 10M synapses, builds an index from each
# (jhdf reading included), and measures size, open time and query latency against a brute-force scan.
# The JVM gets a 64 MiB heap: builds of any size must fit in it (heap does not grow with synapse count).
# usage: bench/synapse-index.sh [SIZES...]   (default: 1000000 10000000); data goes to $BENCH_DIR (default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
sizes=("${@:-1000000 10000000}")
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
files=()
for n in ${sizes[@]}; do
  files+=("$(synapse_edges "$n")")
done
cp="nifi-memmap-bench/target/classes:nifi-memmap-engine/target/classes:$(cat nifi-memmap-bench/target/classpath.txt)"
echo "machine: $(nproc) cores shared with other builds while measuring; $(java -version 2>&1 | head -1)"
exec java -Xmx64m -XX:+UseParallelGC -cp "$cp" org.nifimemmap.bench.SynapseIndexBenchmark "${files[@]}"
