#!/usr/bin/env bash
# The README's bin/nifi, started as a user starts it and then driven only through NiFi's REST API from outside (curl):
# the scheduled-ingestion group gets its parameters through a parameter-context update request, is started, and a
# recording dropped into the input directory (Neuroscope XML beside it, no channels/rate set) must be converted within
# a minute; zarr-python checks the store. Then bin/nifi is stopped with SIGTERM and nothing may be left running.
#   bench/real-nifi-ingestion.sh [PORT] [WORK]      (defaults: 18090 /tmp/x)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18090}"; work="${2:-/tmp/x}"
data="$(mktemp -d /tmp/nifi-ingestion-data.XXXXXX)"
api="http://127.0.0.1:$port/nifi-api"
rm -rf "$work"
log="$data/bin-nifi.log"
bin/nifi --port "$port" --work "$work" >"$log" 2>&1 &
nifi=$!
cleanup() { kill "$nifi" 2>/dev/null || true; wait "$nifi" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
t0=$(date +%s)
until grep -q '^canvas: ' "$log"; do
  kill -0 "$nifi" 2>/dev/null || { cat "$log"; echo "bin/nifi exited"; exit 1; }
  sleep 1
done
echo "bin/nifi ready (build, start, upload) after $(( $(date +%s) - t0 )) s: $(grep '^canvas: ' "$log")"
json() { /usr/bin/python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
group=$(curl -sf "$api/flow/process-groups/root" | json '[g["id"] for g in d["processGroupFlow"]["flow"]["processGroups"] if g["component"]["name"]=="EEG scheduled ingestion"][0]')
context=$(curl -sf "$api/process-groups/$group" | json 'd["component"]["parameterContext"]["id"]')
version=$(curl -sf "$api/parameter-contexts/$context" | json 'd["revision"]["version"]')
mkdir -p "$data/raw" 
body=$(cat <<JSON
{"revision":{"version":$version},"id":"$context","component":{"id":"$context","parameters":[
 {"parameter":{"name":"input.directory","value":"$data/raw","sensitive":false}},
 {"parameter":{"name":"output.directory","value":"$data/zarr","sensitive":false}},
 {"parameter":{"name":"input.min_age","value":"0 sec","sensitive":false}}]}}
JSON
)
request=$(curl -sf -H 'Content-Type: application/json' -d "$body" "$api/parameter-contexts/$context/update-requests" | json 'd["request"]["requestId"]')
until [ "$(curl -sf "$api/parameter-contexts/$context/update-requests/$request" | json 'd["request"]["complete"]')" = True ]; do sleep 0.5; done
curl -sf -X DELETE "$api/parameter-contexts/$context/update-requests/$request" >/dev/null
echo "parameters set: input.directory=$data/raw output.directory=$data/zarr input.min_age=0 sec (eeg.channels, eeg.sampling_rate left empty)"
curl -sf -X PUT -H 'Content-Type: application/json' -d "{\"id\":\"$group\",\"state\":\"RUNNING\"}" "$api/flow/process-groups/$group" >/dev/null
started=$(date +%s.%N)
echo "group started"
/usr/bin/python3 - "$data/raw" <<'PY'
import numpy as np, sys, os
raw = sys.argv[1]
x = (np.random.default_rng(7).standard_normal((600_000, 32)) * 500).astype('<i2')   # 32 ch, 30 s at 20 kHz
x.tofile(os.path.join(raw, '.rat9.dat.partial'))
open(os.path.join(raw, 'rat9.xml'), 'w').write("<parameters><acquisitionSystem><nBits>16</nBits><nChannels>32</nChannels>"
    "<samplingRate>20000</samplingRate></acquisitionSystem></parameters>")
os.rename(os.path.join(raw, '.rat9.dat.partial'), os.path.join(raw, 'rat9.dat'))
print("dropped rat9.dat (%.1f MB, 32 channels, 20 kHz) with rat9.xml beside it" % (x.nbytes / 1e6))
PY
dropped=$(date +%s.%N)
until [ -d "$data/zarr/rat9.zarr" ]; do
  if (( $(date +%s) - ${dropped%.*} > 60 )); then echo "FAILED: not converted within a minute"; exit 1; fi
  sleep 0.2
done
done_at=$(date +%s.%N)
/usr/bin/python3 -c "print('converted: $data/zarr/rat9.zarr appeared %.1f s after the drop (%.1f s after the group was started)' % ($done_at - $dropped, $done_at - $started))"
/usr/bin/python3 - "$data" <<'PY'
import numpy as np, sys, zarr
d = sys.argv[1]
g = zarr.open(d + '/zarr/rat9.zarr', mode='r')
x = g['traces_seg0'][:]
ref = np.fromfile(d + '/raw/rat9.dat', dtype='<i2').reshape(-1, 32)
assert g.attrs['sampling_frequency'] == 20000 and np.array_equal(x, ref)
print("zarr-python: traces_seg0", x.shape, x.dtype, "equal to the raw file; sampling_frequency", g.attrs['sampling_frequency'])
PY
kill "$nifi"; wait "$nifi" || true
sleep 1
if pgrep -f "$work/conf" >/dev/null; then echo "FAILED: a NiFi process is left"; exit 1; fi
if ss -ltn | grep -q ":$port "; then echo "FAILED: port $port still listening"; exit 1; fi
echo "bin/nifi stopped by SIGTERM: no process left, port $port closed"
