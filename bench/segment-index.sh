#!/usr/bin/env bash
# Segment index benchmark: generates SONATA nodes files (h5py, bench/make_segment_nodes.py) of 1,000 and 10,000
# cells, each the circuit-10 morphology (2,199 elements) at a uniform random position (~50,000 um^3 per cell) and
# orientation, builds an index from each (jhdf nodes, ASC parsing, placement, out-of-core sort and write), and
# measures size, open time and small box query latency against a brute-force scan.
# The JVM gets a 128 MiB heap (the target is under 1 GiB): the build must fit in it whatever the cell count.
# usage: bench/segment-index.sh [CELLS...]   (default: 1000 10000); data goes to $BENCH_DIR (default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
sizes=("${@:-1000 10000}")
fixtures="${MEMMAP_FIXTURES:-$(pwd)/fixtures}"
morphologies="$fixtures/sonata/circuit-10/morphologies/ascii"
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
files=()
for n in ${sizes[@]}; do
  files+=("$(segment_nodes "$n")")
done
cp="nifi-memmap-bench/target/classes:nifi-memmap-engine/target/classes:$(cat nifi-memmap-bench/target/classpath.txt)"
echo "machine: $(nproc) cores shared with other builds while measuring; $(java -version 2>&1 | head -1)"
exec java -Xmx128m -XX:+UseParallelGC -cp "$cp" org.nifimemmap.bench.SegmentIndexBenchmark "$morphologies" "${files[@]}"
