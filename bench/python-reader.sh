#!/usr/bin/env bash
# The Python reader (python/nifi_memmap_index, numpy only) on a 10M-synapse index: small-box query latency through
# the packed tree next to a numpy full scan of the same mapped records. Data as bench/synapse-index.sh makes it.
# usage: bench/python-reader.sh [SYNAPSES]   (default 10000000); data goes to $BENCH_DIR (default /tmp)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
source bench/index-data.sh
n="${1:-10000000}"
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
edges="$(synapse_edges "$n")"
work="${edges%/*}"
cp="nifi-memmap-bench/target/classes:nifi-memmap-engine/target/classes:$(cat nifi-memmap-bench/target/classpath.txt)"
index=$(java -Xmx64m -cp "$cp" org.nifimemmap.bench.MakeSynapseIndex "$edges" "$work/python-reader-index" 2>/dev/null | tail -1)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(/usr/bin/python3 --version)"
/usr/bin/python3 bench/python_reader.py "$index"
