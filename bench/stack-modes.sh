#!/usr/bin/env bash
# The traced program's slowdown under each of giltracer's Python stack modes, against the same program untraced on
# the same interpreter in the same run: viztracer (every call) on the venv's Python, none (GIL probes only) on both,
# sampled (perf stack samples through CPython's perf trampolines) on 3.12. Each figure is the best of N of the time
# the example prints for its own work ("in X s"), so interpreter, JVM and perf start are not in it
# (bench/start-cost.sh measures those). Run from the repository root after `make setup`, as root:
#   bench/stack-modes.sh [--runs N] [--rate HZ] [--python312 PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=3
RATE=99
PY311=$PWD/.venv/bin/python
PY312=/root/.pyenv/versions/3.12.1/bin/python3.12
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --rate) RATE=$2; shift 2 ;;
        --python312) PY312=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
WORK=$(mktemp -d /tmp/per4m-modes.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
GILTRACER=$PWD/.venv/bin/giltracer
# the examples are in the shim; the 3.12 interpreter has no per4m installed
export PYTHONPATH=$PWD/python-shim

seconds() { sed -n 's/.* in \([0-9.]*\) s.*/\1/p' | head -1; }

# best of RUNS of the example's own time; "failed" when a run fails
best() {
    local best=""
    for ((r = 0; r < RUNS; r++)); do
        local out
        if ! out=$(cd "$WORK" && "$@" 2>"$WORK/err"); then echo failed; return; fi
        local s=$(seconds <<<"$out")
        best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
    done
    echo "$best"
}
ratio() { awk -v v="$1" -v a="$2" 'BEGIN { if (v + 0 > 0 && a + 0 > 0) printf "%.2fx", v / a; else printf "-" }'; }

echo "slowdown of the traced program, best of $RUNS, $(nproc) CPUs; sampled at $RATE Hz per thread"
printf '%-14s | %8s %10s %10s | %8s %10s %10s\n' "" "3.11 s" viztracer none "3.12 s" sampled none
for example in contention io_release; do
    m=(-m per4m.examples.$example)
    a11=$(best "$PY311" "${m[@]}")
    viz=$(best "$GILTRACER" -q -o "$WORK/o" --python "$PY311" "${m[@]}")
    none11=$(best "$GILTRACER" -q -o "$WORK/o" --python "$PY311" --python-stacks=none "${m[@]}")
    if [[ -x $PY312 ]]; then
        a12=$(best "$PY312" "${m[@]}")
        sampled=$(best "$GILTRACER" -q -o "$WORK/o" --python "$PY312" --python-stacks=sampled --sample-rate "$RATE" "${m[@]}")
        none12=$(best "$GILTRACER" -q -o "$WORK/o" --python "$PY312" --python-stacks=none "${m[@]}")
    else
        a12="no 3.12"; sampled="-"; none12="-"
    fi
    printf '%-14s | %8s %10s %10s | %8s %10s %10s\n' "$example" "$a11" "$(ratio "$viz" "$a11")" \
        "$(ratio "$none11" "$a11")" "$a12" "$(ratio "$sampled" "$a12")" "$(ratio "$none12" "$a12")"
done
echo "(the examples' own printed time; numpy_release needs numpy, which 3.12 here lacks; starvation runs a fixed 0.5 s)"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
