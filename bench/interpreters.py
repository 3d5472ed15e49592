#!/usr/bin/env python3
"""Which CPython interpreters per4m works with on this machine (run as root from the repository root after
`make setup`): for pyenv's 3.8-3.13 and the system's python3.11, what `per4m doctor` says, and what giltracer
gives on the bundled contention and io examples (with --no-viztracer: viztracer is only in the project's venv).
Prints the README's "interpreter x what works" table."""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "per4m.jar")
PYENV = os.path.join(os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv")), "versions")


def interpreters():
    for minor in ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13"):
        found = sorted(glob.glob(os.path.join(PYENV, minor + ".*", "bin", "python" + minor)),
                       key=lambda p: int(p.split(os.sep)[-3].rsplit(".", 1)[1]))
        yield ("pyenv " + found[-1].split(os.sep)[-3], found[-1]) if found else ("pyenv " + minor, None)
    yield "Debian /usr/bin/python3.11 (stripped)", "/usr/bin/python3.11" if os.path.exists("/usr/bin/python3.11") else None


def per4m(*args):
    return subprocess.run(["java", "-jar", JAR, *args], capture_output=True, text=True, timeout=600)


def doctor(python):
    r = per4m("doctor", "--python", python, "--json")
    try:
        report = json.loads(r.stdout)
    except json.JSONDecodeError:
        return "no answer"
    probes = next((c for c in report["checks"] if c["id"] == "probes"), None)
    if report["ready"]:
        notes = []
        if probes and "private probes" in probes["summary"]:
            notes.append("as root: private probes for each run")
        if (report.get("gil_elf") or {}).get("probe_method", "symbols") != "symbols":
            notes.append("no symbols: take_gil and drop_gil located from PyEval_*")
        if probes and "inlined into" in probes["summary"]:
            notes.append("warns: " + re.sub(r".*?(\w+:drop_gil at \S+ \(inlined into \w+\)).*", r"\1", probes["summary"]))
        return "ready" + (" (" + "; ".join(notes) + ")" if notes else "")
    failed = [c["id"] for c in report["checks"] if c["status"] == "fail"]
    return "not ready: " + ", ".join(failed)


def giltracer(python, module, work):
    base = os.path.join(work, module.rsplit(".", 1)[1])
    r = per4m("giltracer", "-q", "--no-viztracer", "--python", python, "-o", base, "-m", module)
    if r.returncode != 0:
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        return None, lines[-1] if lines else "exit %d" % r.returncode
    with open(base + ".summary.json") as f:
        return json.load(f), None


def main():
    if not os.path.exists(JAR):
        sys.exit("build the engine first: make setup")
    print("| interpreter | `per4m doctor` | giltracer, contention: thread names / GIL held | giltracer, io: hand-offs / take without return |")
    print("| --- | --- | --- | --- |")
    for label, python in interpreters():
        if python is None:
            print("| %s | not on this machine | | |" % label)
            continue
        with tempfile.TemporaryDirectory() as work:
            contention, error = giltracer(python, "per4m.examples.contention", work)
            if contention is None:
                print("| %s | %s | fails: %s | |" % (label, doctor(python), error.replace("|", "/")))
                continue
            names = sorted({t["name"] for t in contention["threads"] if not t.get("main")})
            held = contention["process"]["held_pct"]
            io, error = giltracer(python, "per4m.examples.io_release", work)
            io_cell = ("fails: " + error) if io is None else "%d / %d" % (
                io["handoff"]["count"], io.get("anomalies", {}).get("take_without_return", 0))
            print("| %s | %s | %s / %.1f %% | %s |" % (label, doctor(python), ", ".join(names), held, io_cell))


if __name__ == "__main__":
    main()
