#!/usr/bin/env bash
# Fuzzes every parser of nifi-memmap-engine with Jazzer, one target after the other.
#   bench/fuzz.sh [seconds per target] [Class#method ...]   explore: random seed, warm corpus, time-bounded
#   bench/fuzz.sh --ci [Class#method ...]                   CI budget: fixed seed, fixed executions, cold corpus
# Default: 30 s per target, all targets (methods annotated @ParserFuzzTest in org.nifimemmap.fuzz).
# --ci replays the same mutation sequence each run from a checkout at the same path (FUZZ_SEED, default 1, picks
# another one), so a CI run is reproduced by the same command on a clone at CI's path; exploring runs find new
# things. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh

ci=0
if [ "${1:-}" = "--ci" ]; then
  ci=1
  shift
  seconds=180   # a ceiling only: the budget is counted in executions
else
  seconds=${1:-30}
  shift || true
fi
fuzz_dir=nifi-memmap-engine/src/test/java/org/nifimemmap/fuzz
if [ $# -gt 0 ]; then
  targets=("$@")
else
  # Jazzer fuzzes one @FuzzTest per JVM, so each target gets its own run.
  mapfile -t targets < <(for f in "$fuzz_dir"/*FuzzTest.java; do
    awk -v cls="$(basename "$f" .java)" '
      /@ParserFuzzTest/ { marked = 1; next }
      marked && match($0, /void [A-Za-z0-9_]+\(/) { print cls "#" substr($0, RSTART + 5, RLENGTH - 6); marked = 0 }
    ' "$f"
  done)
fi
[ ${#targets[@]} -gt 0 ] || { echo "no fuzz targets found in $fuzz_dir" >&2; exit 1; }

# CI budget: executions per target, each 10-50 s on this 2-core machine type (bench/results/fuzz.txt).
declare -A ci_runs=(
  [IntervalFuzzTest#text]=400000 [IntervalFuzzTest#csv]=400000 [IntervalFuzzTest#tsv]=400000
  [IntervalFuzzTest#json]=400000 [IntervalFuzzTest#evt]=400000 [IntervalFuzzTest#npz]=80000
  [MorphologyFuzzTest#swc]=400000 [MorphologyFuzzTest#asc]=60000 [MorphologyFuzzTest#h5]=15000
  [NeuroscopeXmlFuzzTest#xml]=40000 [SonataConfigFuzzTest#circuitConfig]=150000 [SonataNodesFuzzTest#nodes]=20000 [SonataEdgesFuzzTest#edges]=25000
  [SpatialIndexFuzzTest#indexFile]=25000 [SpatialIndexFuzzTest#indexWithValidHeaderCrc]=20000
  [ZarrFuzzTest#zarray]=15000 [ZarrFuzzTest#zgroup]=30000 [ZarrFuzzTest#chunk]=50000
  [RecordingMetadataFuzzTest#spikeGlxMeta]=20000 [RecordingMetadataFuzzTest#openEphysStructure]=25000
  [RecordingMetadataFuzzTest#sampleNumbersNpy]=4000
)
default_ci_runs=20000

logs=nifi-memmap-engine/target/fuzz
mkdir -p "$logs"
# The CI mode keeps its corpus and findings apart, and starts from the seeds alone, as on a fresh clone.
ci_base="$PWD/nifi-memmap-engine/target/fuzz-ci"
[ $ci -eq 0 ] || rm -rf "$ci_base"
./mvnw -B -q -ntp -pl nifi-memmap-engine -am test-compile

if [ $ci -eq 1 ]; then
  echo "fuzzing ${#targets[@]} targets, fixed budgets, seed ${FUZZ_SEED:-1} (JDK: $(java_major "$JAVA_HOME"))"
else
  echo "fuzzing ${#targets[@]} targets for ${seconds} s each (JDK: $(java_major "$JAVA_HOME"))"
fi
failed=0
for target in "${targets[@]}"; do
  log="$logs/$target.log"
  # jhdf is instrumented too: coverage inside the HDF5 decoder guides the HDF5 targets. The harness is not:
  # its temporary file names would feed the fuzzer's comparison dictionary and make runs differ.
  args=(-DJAZZER_FUZZ=1 -Djazzer.max_duration="${seconds}s" '-Djazzer.instrument=org.nifimemmap.**,io.jhdf.**'
        '-Djazzer.instrumentation_excludes=org.nifimemmap.fuzz.**' '-Djazzer.custom_hook_excludes=org.nifimemmap.fuzz.**')
  if [ $ci -eq 1 ]; then
    # libFuzzer's -reload re-reads the corpus on a timer, the one time-dependent step of a seeded run.
    args+=(-Djazzer.max_executions="${ci_runs[$target]:-$default_ci_runs}" -Djazzer.internal.basedir="$ci_base"
           -Djazzer.internal.arg.0=fake_argv0 -Djazzer.internal.arg.1="-seed=${FUZZ_SEED:-1}" -Djazzer.internal.arg.2=-reload=0)
  fi
  start=$SECONDS
  if ./mvnw -B -q -ntp -pl nifi-memmap-engine surefire:test -Dtest="$target" "${args[@]}" >"$log" 2>&1; then
    status=ok
  else
    status=FINDING
    failed=1
  fi
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  printf '%-44s %-8s %4d s  %s\n' "$target" "$status" $((SECONDS - start)) "${done_line:-(no libFuzzer summary; see $log)}"
  grep -o 'Test unit written to .*' "$log" | sed 's/^/    /' || true
done
if [ $failed -ne 0 ]; then
  where="nifi-memmap-engine/src/test/resources/org/nifimemmap/fuzz/*Inputs/"
  [ $ci -eq 0 ] || where="$ci_base (copy them to $where to replay them as regression tests)"
  echo "findings are saved under $where; logs in $logs" >&2
fi
exit $failed
