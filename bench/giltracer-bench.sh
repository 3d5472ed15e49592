#!/usr/bin/env bash
# Benchmark of giltracer on the bundled examples (run from the repository root after `make setup`, as root):
# the traced program's slowdown, the uprobe hits per second, and the post-processing time (end of the target
# to the report written) beside the original per4m pipeline on the same recording:
#   perf script | per4m perf2trace gil -i viztracer.json (per4m 0.1.0)  +  viztracer --combine
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv/bin
CACHE=${PER4M_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/per4m-bench}
PYTHON=${PER4M_BENCH_PYTHON:-$(readlink -f $VENV/python)}
WORK=$(mktemp -d /tmp/per4m-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
source bench/original-per4m.sh

seconds() { sed -n 's/.* in \([0-9.]*\) s.*/\1/p' | head -1; }

printf '%-14s %9s %9s %9s %12s %11s %11s %7s %10s\n' example "alone s" "traced s" slowdown "GIL ev/s" "ours ms" "orig ms" ratio "% of run"
for example in contention numpy_release io_release starvation; do
    alone=$($VENV/python -m per4m.examples.$example | seconds)
    keep=$WORK/$example
    # as the original README advises: import heavy modules before tracing, or their import fills the trace
    imports=()
    [[ $example == numpy_release ]] && imports=(--import numpy)
    out=$(PER4M_KEEP_RECORDING=$keep $VENV/giltracer -q -o "$WORK/$example-ours" "${imports[@]}" \
        -m per4m.examples.$example 2>"$WORK/$example.err")
    traced=$(seconds <<<"$out")
    ours=$(sed -n 's/.*post-processing \([0-9]*\) ms.*/\1/p' "$WORK/$example.err")
    rate=$(python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['process']; print(round(p['gil_events']/p['span_us']*1e6))" "$WORK/$example-ours.summary.json")
    start=$(date +%s%N)
    # giltracer cuts the recording into windows as it goes: the original reads them one after the other
    if for window in "$keep"/perf.data.*; do perf script -i "$window" --no-inline --ns 2>/dev/null; done \
        | PYTHONPATH=$ORIGINAL_SRC PYTHONWARNINGS=ignore "$ORIGINAL_PYTHON" -m per4m perf2trace gil \
            -i "$keep/viztracer.json" -o "$WORK/orig.json" -q >/dev/null 2>"$WORK/orig.err" \
        && "$CACHE/venv/bin/viztracer" --combine "$WORK/orig.json" -o "$WORK/orig.html" >/dev/null 2>&1; then
        orig=$(( ($(date +%s%N) - start) / 1000000 ))
        ratio=$(awk -v o="$orig" -v u="$ours" 'BEGIN { if (u > 0) printf "%.1fx", o / u; else printf ">%dx", o }')
    else
        orig="failed"; ratio="-"
    fi
    share=$(awk -v u="$ours" -v t="$traced" 'BEGIN { printf "%.0f%%", u / (t * 1000) * 100 }')
    slowdown=$(awk -v a="$alone" -v t="$traced" 'BEGIN { printf "%.2fx", t / a }')
    printf '%-14s %9s %9s %9s %12s %11s %11s %7s %10s\n' "$example" "$alone" "$traced" "$slowdown" "$rate" "$ours" "$orig" "$ratio" "$share"
done
echo "targets: post-processing >= 5x faster than the original pipeline and < 10% of the target's run time"
