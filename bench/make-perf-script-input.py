#!/usr/bin/env python3
"""Writes a large `perf script` text to stdout by repeating a real recording.

Each copy is shifted by a whole number of seconds, so only the seconds part of each timestamp changes and time
keeps increasing; the nanosecond digits stay exactly as perf printed them. The probe group is renamed (default
to `python`, the group the original per4m 0.1.0 hard-codes), so both tools see the same GIL events.

usage: make-perf-script-input.py FIXTURE(.gz) LINES [--group NAME] [--bytes N]
       stops after the first whole copy that reaches LINES lines (or N bytes when --bytes is given).
"""
import argparse
import gzip
import re
import sys

TIME = re.compile(rb"(\s)(\d+)\.(\d{6,9}):")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fixture")
    ap.add_argument("lines", type=int)
    ap.add_argument("--group", default="python")
    ap.add_argument("--bytes", type=int, default=0)
    args = ap.parse_args()

    opener = gzip.open if args.fixture.endswith(".gz") else open
    with opener(args.fixture, "rb") as f:
        text = f.read()
    text = re.sub(rb"\b[A-Za-z0-9_]+:((?:take|drop)_gil(?:__return)?):", b"%s:\\1:" % args.group.encode(), text)

    seconds = [int(m.group(2)) for m in TIME.finditer(text)]
    base, last = min(seconds), max(seconds)
    step = last - base + 1
    # one marker per distinct seconds offset inside the recording (usually one or two)
    template = TIME.sub(lambda m: m.group(1) + b"\x01%d\x02." % (int(m.group(2)) - base) + m.group(3) + b":", text)
    lines_per_copy = text.count(b"\n")

    out = sys.stdout.buffer
    written_lines = written_bytes = 0
    copy = 0
    try:
        while (written_bytes < args.bytes) if args.bytes else (written_lines < args.lines):
            chunk = template
            for d in range(step):
                chunk = chunk.replace(b"\x01%d\x02" % d, b"%d" % (base + copy * step + d))
            out.write(chunk)
            written_lines += lines_per_copy
            written_bytes += len(chunk)
            copy += 1
        out.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    print(f"{written_lines} lines, {written_bytes} bytes, {copy} copies", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
