#!/usr/bin/env bash
# Sets up everything per4m needs on a fresh Debian 12 machine; safe to run again (skips what is done).
# Installs: linux-perf, binutils (objdump), chromium (report tests), a project venv (.venv) with the Python shim and its
# dependencies, the report tests' node modules, and builds the engine jar.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

need_apt=()
command -v perf >/dev/null 2>&1 || need_apt+=(linux-perf)
command -v objdump >/dev/null 2>&1 || need_apt+=(binutils)   # decodes stripped interpreters (per4m setup/doctor)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -x /usr/bin/time ] || need_apt+=(time)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jdk-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    log "apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    log "missing: ${need_apt[*]} — run: sudo apt-get install -y ${need_apt[*]}"
  fi
fi

# The interpreter matters: GIL probes need take_gil/drop_gil symbols. pyenv's builds have them;
# Debian's /usr/bin/python3 is stripped. PER4M_PYTHON overrides.
pick_python() {
  if [ -n "${PER4M_PYTHON:-}" ]; then echo "$PER4M_PYTHON"; return; fi
  for p in "$HOME"/.pyenv/versions/3.11.*/bin/python3.11 "$HOME"/.pyenv/versions/3.12.*/bin/python3.12; do
    [ -x "$p" ] && { echo "$p"; return; }
  done
  command -v python3
}
if [ ! -x .venv/bin/python ]; then
  py=$(pick_python)
  log "creating .venv from $py"
  "$py" -m venv .venv
fi

log "building the engine (mvn package)"
mvn -q -B package -DskipTests
# a class-data archive of the engine's classes, trained on its warm-up conversion: the launchers pass it to the JVM,
# which starts the engine in about half the time (a stale archive is ignored; the jar is named by its absolute path,
# as the launchers name it, or the JVM rejects the archive outside this folder)
rm -f target/per4m.jsa
java -XX:ArchiveClassesAtExit=target/per4m.jsa -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$PWD/target/per4m.jar" warmup \
  || log "no class-data archive (the engine starts slower)"

stamp=.venv/.per4m-deps
want=$(cat python-shim/pyproject.toml tests/requirements.txt 2>/dev/null | sha1sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing the Python shim and test dependencies into .venv"
  .venv/bin/pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/pip install -q --disable-pip-version-check -e python-shim -r tests/requirements.txt
  echo "$want" > "$stamp"
fi

if [ -f tests/report/package.json ] && [ ! -d tests/report/node_modules ]; then
  log "installing the report tests' node modules"
  (cd tests/report && npm ci --silent --no-audit --no-fund)
fi

if [ "$(id -u)" = 0 ]; then
  .venv/bin/per4m setup --python .venv/bin/python >/dev/null || .venv/bin/per4m setup --python .venv/bin/python || true
fi
log "ready: run 'source .venv/bin/activate' to have per4m, giltracer and offgil on your PATH"
