#!/usr/bin/env bash
# What a user waits for on a short script: best-of-N wall times, side by side, of the same script (five spinning
# threads, 0.2-0.4 s untraced) run untraced, under py-spy, under bare `perf record` with its default options, and
# under giltracer in each Python stack mode; each figure also as a ratio against the anchors measured in this run.
# Sampled stacks need 3.12+: those rows run on --python312 (its GIL probes are private to the run, so giltracer
# waits there for perf to exit before removing them; with `per4m setup --python` for that interpreter it would not).
# Run from the repository root after `make setup`, as root:
#   bench/start-cost.sh [--runs N] [--python PATH] [--python312 PATH]
# py-spy is installed from PyPI into the benchmarks' cache (like the original per4m, see original-per4m.sh).
# KEEP_WORK=1 keeps the work folder with each command's output (its path is in /tmp/per4m-start.*).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
PYTHON=$PWD/.venv/bin/python
PY312=/root/.pyenv/versions/3.12.1/bin/python3.12
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --python) PYTHON=$2; shift 2 ;;
        --python312) PY312=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
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
# the engine's class-data archive (made by scripts/bootstrap.sh) is ignored once the jar is rebuilt: make it anew,
# or giltracer is measured with a cold JVM that no user of `make setup` gets
if [[ ! target/per4m.jsa -nt target/per4m.jar ]]; then
    echo "refreshing the stale class-data archive target/per4m.jsa ..." >&2
    rm -f target/per4m.jsa
    java -XX:ArchiveClassesAtExit=target/per4m.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$PWD/target/per4m.jar" \
        warmup >&2
fi

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

# Each command runs RUNS times, the commands taking turns so that a busy spell of the machine hits them alike; a
# command's figure is its best wall time, with the CPU time (user + system, children included) of that run.
declare -A took
declare -A COMMANDS
NAMES=()
add() { local name=$1; shift; NAMES+=("$name"); COMMANDS[$name]=$(printf '%q ' "$@"); }

ROOT=$PWD
add untraced "$PYTHON" "$WORK/spin.py"
if "$PYSPY" --version >/dev/null 2>&1; then
    add pyspy "$PYSPY" record --gil -o "$WORK/out/pyspy.svg" -- "$PYTHON" "$WORK/spin.py"
fi
add perf perf record -e 'python:*' -k CLOCK_MONOTONIC -o "$WORK/out/perf.data" -- "$PYTHON" "$WORK/spin.py"
add viztracer "$ROOT/${GILTRACER[0]}" "${GILTRACER[@]:1}" -q "$WORK/spin.py"
add noviz "$ROOT/${GILTRACER[0]}" "${GILTRACER[@]:1}" -q --no-viztracer "$WORK/spin.py"
if [[ -x $PY312 ]]; then
    add untraced312 "$PY312" "$WORK/spin.py"
    add none312 "$ROOT/${GILTRACER[0]}" --python "$PY312" -q --python-stacks=none "$WORK/spin.py"
    add sampled "$ROOT/${GILTRACER[0]}" --python "$PY312" -q --python-stacks=sampled "$WORK/spin.py"
fi

for ((r = 0; r < RUNS; r++)); do
    for name in "${NAMES[@]}"; do
        rm -rf "$WORK/out" && mkdir "$WORK/out"
        start=$(date +%s%N)
        if ! (cd "$WORK/out" && eval /usr/bin/time -f "'%U %S'" -o "$WORK/cpu" "${COMMANDS[$name]}") \
                >"$WORK/$name.log" 2>&1; then
            echo "$name failed: $(tail -n 2 "$WORK/$name.log")" >&2
            continue
        fi
        ns=$(( $(date +%s%N) - start ))
        if [[ -z ${took[$name]:-} || $ns -lt ${took[$name]%% *} ]]; then
            took[$name]="$ns $(awk '{ printf "%.2f", $1 + $2 }' "$WORK/cpu")"
        fi
    done
done

ratio() { # value anchor
    awk -v v="$1" -v a="$2" 'BEGIN { if (v + 0 > 0 && a + 0 > 0) printf "%.2fx", v / a; else printf "-" }'
}
wall() { local t=${took[$1]:-}; [[ -n $t ]] && awk -v ns="${t%% *}" 'BEGIN { printf "%.3f", ns / 1e9 }' || echo "-"; }
cpu() { local t=${took[$1]:-}; [[ -n $t ]] && echo "${t##* }" || echo "-"; }
version() { "$1" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo "?"; }
echo "short script: 5 spinning threads; wall time from start to exit (report written), best of $RUNS runs taken in"
echo "turns, and the CPU time (user + system) of that run: on a busy machine, CPU time is what stretches wall time"
printf '%-52s %8s %11s %12s %9s %7s %11s\n' "what" "wall s" "/ untraced" "/ bare perf" "/ py-spy" "CPU s" "CPU / perf"
V=$(version "$PYTHON"); V12=$(version "$PY312")
for row in "untraced:untraced:python $V script.py" "pyspy:untraced:py-spy record --gil ($V)" \
           "perf:untraced:perf record -e python:* (defaults, $V)" \
           "viztracer:untraced:giltracer -q ($V, viztracer stacks)" "noviz:untraced:giltracer -q --no-viztracer ($V)" \
           "untraced312:untraced312:python $V12 script.py" \
           "none312:untraced312:giltracer -q --python-stacks=none ($V12)" \
           "sampled:untraced312:giltracer -q --python-stacks=sampled ($V12)"; do
    key=${row%%:*}; rest=${row#*:}; anchor=${rest%%:*}; label=${rest#*:}
    printf '%-52s %8s %11s %12s %9s %7s %11s\n' "$label" "$(wall "$key")" "$(ratio "$(wall "$key")" "$(wall "$anchor")")" \
        "$(ratio "$(wall "$key")" "$(wall perf)")" "$(ratio "$(wall "$key")" "$(wall pyspy)")" "$(cpu "$key")" \
        "$(ratio "$(cpu "$key")" "$(cpu perf)")"
done
echo "(/ untraced: against the same interpreter untraced; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
