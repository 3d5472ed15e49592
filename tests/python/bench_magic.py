"""Benchmark: the latency %%giltracer adds to a cell (first call, with the JVM and perf start; later calls) and
the cell's slowdown under tracing, per example.

    python tests/python/bench_magic.py [--repeat 5] [example.py ...]

Examples default to python-shim/per4m/examples/*.py (each run as a cell via %run). Prints one table.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import ROOT  # noqa: E402
from kernel_client import Kernel  # noqa: E402

TIMED = ("import time as _t\n_per4m_t0 = _t.perf_counter()\n{body}\n"
         "_per4m_cell_s = _t.perf_counter() - _per4m_t0")


def wall(kernel: Kernel, code: str) -> tuple:
    started = time.perf_counter()
    run = kernel.run(code, timeout=600)
    return time.perf_counter() - started, run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("examples", nargs="*")
    args = parser.parse_args()
    examples = [Path(e) for e in args.examples] or sorted(p for p in (ROOT / "python-shim/per4m/examples").glob("*.py") if p.stem != "__init__")
    bodies = {e.stem: f"%run {e}" for e in examples} or {"trivial": "x = sum(range(1000))"}
    workdir = Path(tempfile.mkdtemp(prefix="per4m-bench-"))
    kernel = Kernel(workdir)
    try:
        kernel.run("%load_ext per4m")
        print(f"{'cell':<22} {'plain s':>8} {'traced s':>9} {'slowdown':>9} {'added s':>8} {'first added s':>14}")
        first_call = True
        for name, body in bodies.items():
            plain, traced, added = [], [], []
            first_added = None
            for i in range(args.repeat):
                kernel.run(TIMED.format(body=body))
                plain.append(kernel.value("_per4m_cell_s"))
                total, run = wall(kernel, "%%giltracer -q\n" + TIMED.format(body=body))
                if "without tracing" in run.display_text:
                    print(f"{name}: not traced ({run.display_text.strip()})")
                    return 1
                cell = kernel.value("_per4m_cell_s")
                traced.append(cell)
                overhead = kernel.value("get_ipython().per4m_magics.last_result['overhead_seconds']")
                if first_call:
                    first_added, first_call = overhead, False
                else:
                    added.append(overhead)
            p, t = statistics.median(plain), statistics.median(traced)
            print(f"{name:<22} {p:>8.3f} {t:>9.3f} {t / p if p else float('nan'):>8.2f}x "
                  f"{statistics.median(added) if added else float('nan'):>8.3f} "
                  f"{'' if first_added is None else f'{first_added:.3f}':>14}")
    finally:
        kernel.shutdown()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
