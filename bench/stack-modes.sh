#!/usr/bin/env bash
# The traced program's slowdown under each of giltracer's Python stack modes, against the same program untraced on
# the same interpreter in the same run: viztracer (every call) on the venv's Python, none (GIL probes only) on both,
# sampled (perf stack samples through CPython's perf trampolines) on 3.12. Each figure is the best of N of the CPU
# time (user + system) the example's process spent in its own work (bench/cpu-time.py), which other load on the
# machine hardly moves, and in parentheses the same for the wall time the example prints ("in X s"); interpreter,
# JVM and perf start are in neither (bench/start-cost.sh measures those). Run from the repository root after `make setup`, as root:
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
cpu_seconds() { sed -n 's/^cpu \([0-9.]*\) s$/\1/p' | head -1; }
CPU_TIME=$PWD/bench/cpu-time.py
ratio() { awk -v v="$1" -v a="$2" 'BEGIN { if (v + 0 > 0 && a + 0 > 0) printf "%.2fx", v / a; else printf "-" }'; }

echo "slowdown of the traced program: CPU time (wall time) of the example's own work, best of $RUNS runs taken in"
echo "turns, against the same interpreter untraced in the same run; $(nproc) CPUs; sampled at $RATE Hz per thread"
printf '%-12s | %13s %15s %15s | %13s %15s %15s\n' "" "3.11 cpu(wall)" viztracer none "3.12 cpu(wall)" sampled none
for example in contention io_release; do
    m=("$CPU_TIME" per4m.examples.$example)
    declare -A cmd=() best=() wall=()
    cmd[a11]="$(printf '%q ' "$PY311" "${m[@]}")"
    cmd[viz]="$(printf '%q ' "$GILTRACER" -q -o "$WORK/o" --python "$PY311" "${m[@]}")"
    cmd[none11]="$(printf '%q ' "$GILTRACER" -q -o "$WORK/o" --python "$PY311" --python-stacks=none "${m[@]}")"
    if [[ -x $PY312 ]]; then
        cmd[a12]="$(printf '%q ' "$PY312" "${m[@]}")"
        cmd[sampled]="$(printf '%q ' "$GILTRACER" -q -o "$WORK/o" --python "$PY312" --python-stacks=sampled \
            --sample-rate "$RATE" "${m[@]}")"
        cmd[none12]="$(printf '%q ' "$GILTRACER" -q -o "$WORK/o" --python "$PY312" --python-stacks=none "${m[@]}")"
    fi
    for ((r = 0; r < RUNS; r++)); do
        for key in "${!cmd[@]}"; do
            if ! out=$(cd "$WORK" && eval "${cmd[$key]}" 2>"$WORK/err"); then
                echo "$example $key failed: $(tail -n 2 "$WORK/err")" >&2
                continue
            fi
            c=$(cpu_seconds <<<"$out")
            s=$(seconds <<<"$out")
            if [[ -z ${best[$key]:-} ]] || awk -v a="$c" -v b="${best[$key]}" 'BEGIN { exit !(a < b) }'; then
                best[$key]=$c
            fi
            if [[ -z ${wall[$key]:-} ]] || awk -v a="$s" -v b="${wall[$key]}" 'BEGIN { exit !(a < b) }'; then
                wall[$key]=$s
            fi
        done
    done
    both() { echo "$(ratio "${best[$1]:-}" "${best[$2]:-}") ($(ratio "${wall[$1]:-}" "${wall[$2]:-}"))"; }
    printf '%-12s | %13s %15s %15s | %13s %15s %15s\n' "$example" "${best[a11]:--} (${wall[a11]:--})" "$(both viz a11)" \
        "$(both none11 a11)" "${best[a12]:--} (${wall[a12]:--})" "$(both sampled a12)" "$(both none12 a12)"
    unset cmd best wall
done
echo "(numpy_release needs numpy, which 3.12 here lacks; starvation runs a fixed 0.5 s)"
echo "(load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
