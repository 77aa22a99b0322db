# Sourced by the index benchmarks: the generated SONATA inputs they share, made once under $BENCH_DIR (default /tmp)
# and kept there between runs. Each function prints the file's path.

# synapse_edges N: an edges file of N synapses (bench/make_synapse_edges.py).
synapse_edges() {
  local f="${BENCH_DIR:-/tmp}/nifi-memmap-synapse-bench/edges-$1.h5"
  mkdir -p "${f%/*}"
  [ -f "$f" ] || /usr/bin/python3 bench/make_synapse_edges.py "$f" "$1" >&2
  echo "$f"
}

# segment_nodes N: a nodes file of N cells, each the circuit-10 morphology (bench/make_segment_nodes.py).
segment_nodes() {
  local f="${BENCH_DIR:-/tmp}/nifi-memmap-segment-bench/nodes-$1.h5"
  mkdir -p "${f%/*}"
  [ -f "$f" ] || /usr/bin/python3 bench/make_segment_nodes.py "$f" "$1" sm090227a1-2_idC >&2
  echo "$f"
}
