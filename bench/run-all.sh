#!/usr/bin/env bash
# Every benchmark whose figures the README quotes, one after another (`make bench`; root, after `make setup`).
# Each prints its own figures beside the anchor it measures in the same run; run on a quiet machine to compare
# with the README's rows marked *(quiet)*. A benchmark that fails is named at the end; the others still run.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
run() {
  printf '\n\033[1m== %s\033[0m\n' "$*"
  "$@" || failed+=("$*")
}
run bench/perf2trace-bench.sh
run bench/start-cost.sh
run bench/stack-modes.sh
run bench/giltracer-bench.sh
run .venv/bin/python bench/interpreters.py
run .venv/bin/python bench/killed-run-cleanup.py
run .venv/bin/python bench/notebook-size.py
run node bench/notebook-latency.js
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nfailed: %s\n' "${failed[@]}"
  exit 1
fi
