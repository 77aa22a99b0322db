#!/usr/bin/env bash
# Fuzzes every parser of nifi-memmap-engine with Jazzer, one target after the other.
#   bench/fuzz.sh [seconds per target] [Class#method ...]
# Default: 30 s per target, all targets (methods annotated @ParserFuzzTest in org.nifimemmap.fuzz).
# CI runs the default; run longer on demand, e.g. bench/fuzz.sh 600. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/jdk.sh

seconds=${1:-30}
shift || true
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

logs=nifi-memmap-engine/target/fuzz
mkdir -p "$logs"
./mvnw -B -q -ntp -pl nifi-memmap-engine -am test-compile

echo "fuzzing ${#targets[@]} targets for ${seconds} s each (JDK: $(java_major "$JAVA_HOME"))"
failed=0
for target in "${targets[@]}"; do
  log="$logs/$target.log"
  # jhdf is instrumented too: coverage inside the HDF5 decoder guides the HDF5 targets.
  if ./mvnw -B -q -ntp -pl nifi-memmap-engine surefire:test -Dtest="$target" \
      -DJAZZER_FUZZ=1 -Djazzer.max_duration="${seconds}s" '-Djazzer.instrument=org.nifimemmap.**,io.jhdf.**' \
      >"$log" 2>&1; then
    status=ok
  else
    status=FINDING
    failed=1
  fi
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1 || true)
  printf '%-32s %-8s %s\n' "$target" "$status" "${done_line:-(no libFuzzer summary; see $log)}"
  grep -o 'Test unit written to .*' "$log" | sed 's/^/    /' || true
done
[ $failed -eq 0 ] || echo "findings are saved under nifi-memmap-engine/src/test/resources/org/nifimemmap/fuzz/*Inputs/ and rerun as regression tests; logs in $logs" >&2
exit $failed
