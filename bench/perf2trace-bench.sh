#!/usr/bin/env bash
# Benchmark of `per4m perf2trace gil`: the Java engine against the original per4m 0.1.0 (Python).
#
# Run from the repository root after `mvn -q package -DskipTests`:
#   bench/perf2trace-bench.sh                 # ~10 M lines for the engine, 300 k lines for the original
#   bench/perf2trace-bench.sh --lines 10000000 --orig-lines 100000
#   bench/perf2trace-bench.sh --huge          # ~2 GB streamed through a pipe into the engine, never stored
#   bench/perf2trace-bench.sh --skip-original
#
# The input is a real recording (src/test/resources/fixtures/gil_ns_nospace.txt.gz: GIL uprobes,
# `perf script --ns --no-inline`, default fields) repeated with timestamps shifted by whole seconds, and the
# probe group renamed to `python`, the group the original hard-codes. That fixture's threads are named without
# spaces and its lines carry no pid/tid pair, because the original crashes on both.
set -euo pipefail

LINES=10000000
ORIG_LINES=300000
HUGE=0
SKIP_ORIGINAL=0
FIXTURE=src/test/resources/fixtures/gil_ns_nospace.txt.gz
JAR=target/per4m.jar
CACHE=${PER4M_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/per4m-bench}
PYTHON=${PER4M_BENCH_PYTHON:-/root/.pyenv/versions/3.11.7/bin/python3.11}
WORK=$(mktemp -d /tmp/per4m-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

while [[ $# -gt 0 ]]; do
    case $1 in
        --lines) LINES=$2; shift 2 ;;
        --orig-lines) ORIG_LINES=$2; shift 2 ;;
        --huge) HUGE=1; shift ;;
        --skip-original) SKIP_ORIGINAL=1; shift ;;
        --jar) JAR=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

[[ -f $FIXTURE ]] || { echo "run me from the repository root ($FIXTURE not found)" >&2; exit 2; }
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (for peak RSS)..." >&2
    apt-get install -y -q time >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q time >/dev/null; }
fi
if ! command -v "$PYTHON" >/dev/null; then PYTHON=$(command -v python3); fi

GEN=(python3 bench/make-perf-script-input.py "$FIXTURE")

# field from `/usr/bin/time -v` output
tv() { grep -F "$1" "$2" | sed 's/.*: //'; }
# wall clock "h:mm:ss" or "m:ss.ss" -> seconds
wall_seconds() { awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"; }

report() { # name lines bytes timefile
    local wall rss secs
    wall=$(tv "Elapsed (wall clock)" "$4"); rss=$(tv "Maximum resident set size" "$4")
    secs=$(wall_seconds "$wall")
    awk -v n="$1" -v l="$2" -v b="$3" -v s="$secs" -v r="$rss" 'BEGIN {
        printf "%-22s %12d lines %9.1f MB %8.2f s %12.0f lines/s %8.1f MB/s  peak RSS %7.1f MB\n",
               n, l, b / 1e6, s, l / s, b / 1e6 / s, r / 1024 }'
    echo "$secs"
}

run_engine() { # input-file-or-/dev/stdin timefile
    java -Xmx256m -jar "$JAR" perf2trace gil -o "$WORK/engine.json" "$1"
}

echo "== engine (java -Xmx256m -jar $JAR perf2trace gil)"
[[ -f $JAR ]] || { echo "$JAR missing: run mvn -q package -DskipTests first" >&2; exit 2; }
ENGINE_OK=1
if [[ $HUGE == 1 ]]; then
    # about 2 GB generated on the fly: nothing is stored, the engine reads a pipe
    "${GEN[@]}" 0 --bytes 2000000000 2>"$WORK/gen.log" \
        | /usr/bin/time -v -o "$WORK/engine.time" java -Xmx256m -jar "$JAR" perf2trace gil -o "$WORK/engine.json" /dev/stdin \
        >"$WORK/engine.out" 2>&1 || ENGINE_OK=0
    read -r E_LINES _ E_BYTES _ < "$WORK/gen.log" || true
else
    "${GEN[@]}" "$LINES" >"$WORK/input.txt" 2>"$WORK/gen.log"
    read -r E_LINES _ E_BYTES _ < "$WORK/gen.log" || true
    /usr/bin/time -v -o "$WORK/engine.time" java -Xmx256m -jar "$JAR" perf2trace gil -o "$WORK/engine.json" "$WORK/input.txt" \
        >"$WORK/engine.out" 2>&1 || ENGINE_OK=0
fi
if [[ $ENGINE_OK == 1 ]]; then
    ENGINE_LINE=$(report engine "$E_LINES" "$E_BYTES" "$WORK/engine.time")
    head -1 <<<"$ENGINE_LINE"
    ENGINE_LPS=$(awk -v l="$E_LINES" -v s="$(tail -1 <<<"$ENGINE_LINE")" 'BEGIN { print l / s }')
else
    echo "engine FAILED on $E_LINES lines; its output:"; sed 's/^/    /' "$WORK/engine.out" | head -20
fi

if [[ $SKIP_ORIGINAL == 0 ]]; then
    echo "== original per4m 0.1.0 (PyPI sdist, perf2trace module run from source; cache $CACHE)"
    source "$(dirname "$0")/original-per4m.sh"
    SRC=$ORIGINAL_SRC
    "${GEN[@]}" "$ORIG_LINES" >"$WORK/orig-input.txt" 2>"$WORK/orig-gen.log"
    read -r O_LINES _ O_BYTES _ < "$WORK/orig-gen.log" || true
    if PYTHONPATH=$SRC PYTHONWARNINGS=ignore /usr/bin/time -v -o "$WORK/orig.time" \
            "$CACHE/venv/bin/python" -m per4m perf2trace gil -o "$WORK/orig.json" \
            <"$WORK/orig-input.txt" >"$WORK/orig.out" 2>"$WORK/orig.err"; then
        ORIG_LINE=$(report "original per4m 0.1.0" "$O_LINES" "$O_BYTES" "$WORK/orig.time")
        head -1 <<<"$ORIG_LINE"
        ORIG_LPS=$(awk -v l="$O_LINES" -v s="$(tail -1 <<<"$ORIG_LINE")" 'BEGIN { print l / s }')
    else
        echo "original FAILED; its stderr:"; tail -5 "$WORK/orig.err" | sed 's/^/    /'
    fi
fi

if [[ -n ${ENGINE_LPS:-} && -n ${ORIG_LPS:-} ]]; then
    awk -v e="$ENGINE_LPS" -v o="$ORIG_LPS" 'BEGIN { printf "engine / original: %.1f x the lines per second\n", e / o }'
fi
[[ $ENGINE_OK == 1 ]]
