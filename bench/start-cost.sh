#!/usr/bin/env bash
# What a user waits for on a short script: best-of-N wall times, side by side, of the same script (five spinning
# threads, about 0.4 s untraced) run untraced, under py-spy, under bare `perf record` with its default options, and
# under giltracer in each Python stack mode; each figure also as a ratio against the anchors measured in this run.
# Run from the repository root after `make setup`, as root:
#   bench/start-cost.sh [--runs N] [--python PATH]
# py-spy is installed from PyPI into the benchmarks' cache (like the original per4m, see original-per4m.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
PYTHON=$PWD/.venv/bin/python
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --python) PYTHON=$2; shift 2 ;;
        -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
CACHE=${PER4M_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/per4m-bench}
WORK=$(mktemp -d /tmp/per4m-start.XXXXXX)
trap '[[ -n ${KEEP_WORK:-} ]] || rm -rf "$WORK"' EXIT
GILTRACER=(.venv/bin/giltracer --python "$PYTHON")

if [[ ! -x $CACHE/pyspy/bin/py-spy ]]; then
    echo "installing py-spy into $CACHE/pyspy ..." >&2
    python3 -m venv "$CACHE/pyspy" && "$CACHE/pyspy/bin/pip" -q install py-spy >&2 || true
fi
PYSPY=$CACHE/pyspy/bin/py-spy

cat >"$WORK/spin.py" <<'EOF'
import threading

def spin(n=600_000):
    total = 0
    for i in range(n):
        total += i
    return total

threads = [threading.Thread(target=spin, name=f"spin {i}") for i in range(5)]
for t in threads:
    t.start()
for t in threads:
    t.join()
EOF

# best wall time in seconds of RUNS runs of the command; its output goes to a file in WORK
best() {
    local name=$1; shift
    local best_ns=""
    for ((r = 0; r < RUNS; r++)); do
        rm -rf "$WORK/out" && mkdir "$WORK/out"
        local start=$(date +%s%N)
        if ! (cd "$WORK/out" && "$@") >"$WORK/$name.log" 2>&1; then
            echo "failed"; return
        fi
        local took=$(( $(date +%s%N) - start ))
        if [[ -z $best_ns || $took -lt $best_ns ]]; then best_ns=$took; fi
    done
    awk -v ns="$best_ns" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

ROOT=$PWD
declare -A took
took[untraced]=$(best untraced "$PYTHON" "$WORK/spin.py")
if "$PYSPY" --version >/dev/null 2>&1; then
    took[pyspy]=$(best pyspy "$PYSPY" record --gil -o "$WORK/out/pyspy.svg" -- "$PYTHON" "$WORK/spin.py")
else
    took[pyspy]="unavailable"
fi
took[perf]=$(best perf perf record -e 'python:*' -k CLOCK_MONOTONIC -o "$WORK/out/perf.data" -- "$PYTHON" "$WORK/spin.py")
took[viztracer]=$(best viztracer "$ROOT/${GILTRACER[0]}" "${GILTRACER[@]:1}" -q "$WORK/spin.py")
took[noviz]=$(best noviz "$ROOT/${GILTRACER[0]}" "${GILTRACER[@]:1}" -q --no-viztracer "$WORK/spin.py")
if "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    took[sampled]=$(best sampled "$ROOT/${GILTRACER[0]}" "${GILTRACER[@]:1}" -q --python-stacks=sampled "$WORK/spin.py")
else
    took[sampled]="needs 3.12+"
fi

ratio() { # value anchor
    awk -v v="$1" -v a="$2" 'BEGIN { if (v + 0 > 0 && a + 0 > 0) printf "%.2fx", v / a; else printf "-" }'
}
echo "short script: 5 spinning threads, $("$PYTHON" -c 'import platform; print(platform.python_version())'), best of $RUNS runs"
printf '%-44s %9s %12s %12s %12s\n' "what" "wall s" "/ untraced" "/ bare perf" "/ py-spy"
for row in "untraced:python script.py" "pyspy:py-spy record --gil" "perf:perf record -e python:* (defaults)" \
           "viztracer:giltracer -q (viztracer)" "noviz:giltracer -q --no-viztracer" \
           "sampled:giltracer -q --python-stacks=sampled"; do
    key=${row%%:*}; label=${row#*:}
    printf '%-44s %9s %12s %12s %12s\n' "$label" "${took[$key]}" "$(ratio "${took[$key]}" "${took[untraced]}")" \
        "$(ratio "${took[$key]}" "${took[perf]}")" "$(ratio "${took[$key]}" "${took[pyspy]}")"
done
