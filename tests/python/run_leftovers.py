"""What one giltracer run may leave behind, found by its pid only: other people's perf, python, probes and
folders on the same machine are never looked at."""
import os
import stat
import subprocess
from pathlib import Path

TMP = Path(os.environ.get("TMPDIR", "/tmp"))
UPROBE_EVENTS = Path("/sys/kernel/tracing/uprobe_events")


def dev_null_is_a_device():
    return stat.S_ISCHR(os.stat("/dev/null").st_mode)


def processes_of(pid: int) -> list:
    """Live processes of giltracer run `pid`: its id in their environment, its folders in their command line."""
    run_id = f"PER4M_RUN_ID={pid}-".encode()
    folders = (f"per4m-giltracer-{pid}-".encode(), f"per4m-perf-{pid}-".encode())
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if (proc / "stat").read_text().split(") ", 1)[1].startswith("Z"):
                continue
            environ = (proc / "environ").read_bytes()
            cmdline = (proc / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if any(entry.startswith(run_id) for entry in environ.split(b"\0")) or any(f in cmdline for f in folders):
            found.append((int(proc.name), cmdline.replace(b"\0", b" ")[:120]))
    return found


def temp_folders_of(pid: int) -> list:
    return [p for p in TMP.iterdir() if p.name.startswith((f"per4m-giltracer-{pid}-", f"per4m-perf-{pid}-"))]


def probe_groups() -> set:
    return {line.split(":", 1)[1].split("/", 1)[0] for line in UPROBE_EVENTS.read_text().splitlines()
            if line[:2] in ("p:", "r:")}


def probes_of(pid: int) -> list:
    listed = subprocess.run(["perf", "probe", "-l"], capture_output=True, text=True).stdout
    return [line for line in listed.splitlines() if f"per4m_{pid}:" in line] + \
        [g for g in probe_groups() if g == f"per4m_{pid}"]


def append_uprobe_line(line: str):
    """One command to the kernel, appended (never truncated: that would delete everyone's probes)."""
    fd = os.open(UPROBE_EVENTS, os.O_WRONLY | os.O_APPEND)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)
