#!/usr/bin/env bash
# Partitioned builds: the same population built as one index and as 8 partitions (one after the other, the total
# work a cluster shares out), then small-box query latency on the single index and on the multi-index, and the
# multi-index's open time. Data as bench/synapse-index.sh and bench/segment-index.sh generate it.
# usage: bench/partitioned-index.sh [PARTITIONS]   (default 8); data goes to $BENCH_DIR (default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
partitions="${1:-8}"
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
edges="$(synapse_edges 10000000)"
nodes="$(segment_nodes 10000)"
cp="nifi-memmap-bench/target/classes:nifi-memmap-engine/target/classes:$(cat nifi-memmap-bench/target/classpath.txt)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
java -Xmx128m -XX:+UseParallelGC -cp "$cp" org.nifimemmap.bench.PartitionedIndexBenchmark "$partitions" synapses "$edges"
java -Xmx128m -XX:+UseParallelGC -cp "$cp" org.nifimemmap.bench.PartitionedIndexBenchmark "$partitions" cells "$nodes" \
  fixtures/sonata/circuit-10/morphologies/ascii
