#!/usr/bin/env bash
# RestrictByIntervals benchmark: our engine vs numpy + zarr-python on a generated 2 GiB Zarr recording.
# Usage: bench/restrict.sh [WORKDIR]   (the generated recording is kept in WORKDIR for reruns)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh
WORK=${1:-/tmp/nifi-memmap-bench/restrict}
./mvnw -B -q -ntp -pl nifi-memmap-bench -am package -DskipTests
CP="nifi-memmap-bench/target/classes:$(cat nifi-memmap-bench/target/classpath.txt)"
# 256 MiB heap cap: the engine must fit; generation runs in the same JVM.
exec java -Xmx256m -cp "$CP" org.nifimemmap.bench.RestrictBenchmark "$WORK" bench/restrict_baseline.py
