"""Runs a Python program as ``__main__`` under viztracer, with perf recording enabled right around it.

Invoked by the engine::

    python -m per4m.runner --viztracer-out viz.json --sync-out sync.json [--import a,b] [--no-viztracer]
                           (--module M | SCRIPT) [args...]

The target runs exactly as ``python SCRIPT args`` / ``python -m M args`` would run it (``__name__ == "__main__"``,
``sys.argv``, exit code, traceback). Recording is driven through perf's control fifos, named by the
environment variables PER4M_PERF_CTL and PER4M_PERF_ACK: ``enable`` is acknowledged before the target's first
line runs and ``disable`` is sent after its last, also when it raises or calls sys.exit.

The sync file pairs viztracer timestamps with CLOCK_MONOTONIC readings (the clock perf records with), so the
engine can compute the offset between the two (io.per4m.trace.ViztracerClock).
"""

import errno
import json
import os
import runpy
import select
import sys
import threading
import time
import traceback

CTL_ENV = "PER4M_PERF_CTL"
ACK_ENV = "PER4M_PERF_ACK"
PERF_TIMEOUT_S = float(os.environ.get("PER4M_PERF_TIMEOUT_S", "30"))
USAGE = ("usage: python -m per4m.runner [--viztracer-out FILE] [--sync-out FILE] [--import MODULES] "
         "[--no-viztracer] (--module MODULE | SCRIPT) [args...]")


class UsageError(Exception):
    pass


class Options:
    def __init__(self):
        self.viztracer_out = "viztracer.json"
        self.sync_out = None
        self.imports = []
        self.viztracer = True
        self.module = None
        self.script = None
        self.args = []


def parse_args(argv):
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]

        def value():
            if i + 1 >= len(argv):
                raise UsageError(f"{arg} needs a value")
            return argv[i + 1]

        if arg == "--viztracer-out":
            opts.viztracer_out = value()
            i += 2
        elif arg == "--sync-out":
            opts.sync_out = value()
            i += 2
        elif arg == "--import":
            opts.imports += [m for m in value().split(",") if m]
            i += 2
        elif arg == "--no-viztracer":
            opts.viztracer = False
            i += 1
        elif arg in ("--module", "-m"):
            opts.module = value()
            opts.args = argv[i + 2:]
            return opts
        elif arg == "--":
            i += 1
            break
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"unknown option {arg}")
        else:
            break
    if i >= len(argv):
        raise UsageError("no script or --module given")
    opts.script = argv[i]
    opts.args = argv[i + 1:]
    return opts


class PerfGone(Exception):
    pass


class PerfControl:
    """The traced process's end of perf's --control fifos."""

    def __init__(self, ctl_path, ack_path, timeout=PERF_TIMEOUT_S):
        self.timeout = timeout
        deadline = time.monotonic() + timeout
        while True:
            try:
                # non-blocking: a plain open would hang forever if perf never opens its end
                self.ctl = os.open(ctl_path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
                break
            except OSError as e:
                if e.errno != errno.ENXIO or time.monotonic() > deadline:
                    raise PerfGone(f"cannot open perf's control fifo {ctl_path}: {e.strerror}")
                time.sleep(0.005)
        os.set_blocking(self.ctl, True)
        self.ack = os.open(ack_path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)

    @staticmethod
    def from_env():
        ctl, ack = os.environ.get(CTL_ENV), os.environ.get(ACK_ENV)
        if not ctl or not ack:
            return None
        return PerfControl(ctl, ack)

    def send(self, command):
        os.write(self.ctl, command.encode() + b"\n")
        received = b""
        deadline = time.monotonic() + self.timeout
        while b"ack" not in received:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PerfGone(f"perf did not acknowledge {command!r} within {self.timeout:.0f} s")
            readable, _, _ = select.select([self.ack], [], [], left)
            if not readable:
                continue
            try:
                chunk = os.read(self.ack, 64)
            except BlockingIOError:
                continue
            if not chunk:
                raise PerfGone(f"perf ended before acknowledging {command!r}")
            received += chunk.replace(b"\0", b"")  # perf sends "ack\n" with its C terminator

    def close(self):
        for fd in (self.ctl, self.ack):
            try:
                os.close(fd)
            except OSError:
                pass


def warn(message):
    print(f"per4m: {message}", file=sys.stderr, flush=True)


def monotonic_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


class ClockSync:
    """Pairs of (viztracer µs, CLOCK_MONOTONIC ns) read back to back; each pair's clock reading is the
    midpoint of two readings around the viztracer one, and their distance is its uncertainty."""

    def __init__(self):
        self.pairs = []
        self.perf = {}
        self._marker_clock = None

    def mark_start(self, tracer):
        # set_sync_marker stores a raw TSC reading, converted only at save time: unlike getts(), it does not
        # trigger viztracer's lazy TSC calibration this early (a short calibration interval costs precision)
        if tracer is None or not hasattr(tracer, "set_sync_marker"):
            return
        before = monotonic_ns()
        tracer.set_sync_marker()
        after = monotonic_ns()
        self._marker_clock = (before, after)

    def mark_end(self, tracer):
        if tracer is None:
            return
        tracer.getts()  # the first conversion runs viztracer's TSC calibration (about 60 µs): not in a pair
        best = None
        for _ in range(5):
            before = monotonic_ns()
            viz_us = tracer.getts()
            after = monotonic_ns()
            if best is None or after - before < best[2] - best[1]:
                best = (viz_us, before, after)
        self._add("end", *best)

    def after_save(self, tracer):
        if self._marker_clock is None:
            return
        viz_us = tracer.get_sync_marker()
        if viz_us is not None:
            self._add("start", viz_us, *self._marker_clock)

    def _add(self, where, viz_us, before, after):
        self.pairs.append({"where": where, "viztracer_us": viz_us, "clock_ns": (before + after) // 2,
                           "uncertainty_ns": after - before})

    def write(self, path, viztracer_version):
        data = {
            "clock": "CLOCK_MONOTONIC",
            "pid": os.getpid(),
            "viztracer_version": viztracer_version,
            "pairs": sorted(self.pairs, key=lambda p: p["clock_ns"]),
            "perf": self.perf,
        }
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, path)


def exit_code_of(exc):
    """What the interpreter would exit with for this SystemExit (printing a non-int code like it does)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def print_target_exception(exc):
    """Like Python's own report, without the frames of this runner and runpy above the target."""
    tb = exc.__traceback__
    own = {os.path.abspath(__file__), os.path.abspath(runpy.__file__)}
    while tb is not None and (os.path.abspath(tb.tb_frame.f_code.co_filename) in own
                              or tb.tb_frame.f_code.co_filename.startswith("<frozen runpy")):
        tb = tb.tb_next
    sys.stderr.flush()
    traceback.print_exception(type(exc), exc, tb)
    sys.stderr.flush()


def prepare_target(opts):
    if opts.module is not None:
        sys.argv = [opts.module] + opts.args  # runpy sets argv[0] to the module's file
        sys.path.insert(0, os.getcwd())
    else:
        sys.argv = [opts.script] + opts.args
        sys.path.insert(0, os.path.dirname(os.path.abspath(opts.script)))


def run_target(opts):
    if opts.module is not None:
        runpy.run_module(opts.module, run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(opts.script, run_name="__main__")
    # the interpreter waits for non-daemon threads at exit; do it here so they are traced too
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()


def make_tracer(opts):
    if not opts.viztracer:
        return None, None
    try:
        import viztracer
    except ImportError:
        raise UsageError(f"viztracer is not installed for {sys.executable}: "
                         "run 'pip install viztracer', or trace without it (--no-viztracer)")
    tracer = viztracer.VizTracer(
        verbose=0,
        output_file=opts.viztracer_out,
        tracer_entries=2_000_000,
        file_info=False,  # the sources are not embedded: smaller, quicker to save
        # the report's title: the program, not multiprocessing's "MainProcess"
        process_name=f"python -m {opts.module}" if opts.module is not None else os.path.basename(opts.script or "python"),
    )
    return tracer, getattr(viztracer, "__version__", None)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        opts = parse_args(argv)
    except UsageError as e:
        print(f"per4m.runner: {e}\n{USAGE}", file=sys.stderr)
        return 2
    if opts.script is not None and not os.path.exists(opts.script):
        print(f"per4m.runner: can't open file {opts.script!r}: no such file", file=sys.stderr)
        return 2

    if __name__ == "__main__" and sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        del sys.path[0]  # run as a file: the runner's own folder is no place to import the target's modules from
    for module in opts.imports:
        __import__(module)
    try:
        tracer, viztracer_version = make_tracer(opts)
    except UsageError as e:
        print(f"per4m: {e}", file=sys.stderr)
        return 2
    try:
        perf = PerfControl.from_env()
    except PerfGone as e:
        warn(f"{e}; running without perf")
        perf = None
    sync = ClockSync()
    prepare_target(opts)

    code = 0
    try:
        sync.mark_start(tracer)
        if perf is not None:
            try:
                perf.send("enable")
                sync.perf["enabled_ns"] = monotonic_ns()
            except PerfGone as e:
                warn(f"{e}; running without perf")
                perf = None
        if tracer is not None:
            tracer.start()
        try:
            run_target(opts)
        finally:
            if tracer is not None:
                tracer.stop()
            if perf is not None:
                try:
                    sync.perf["disabled_ns"] = monotonic_ns()
                    perf.send("disable")
                except PerfGone as e:
                    warn(str(e))
    except SystemExit as e:
        code = exit_code_of(e)
    except KeyboardInterrupt as e:
        print_target_exception(e)
        code = 130
    except BaseException as e:  # noqa: B902 - the target's exception, reported the way Python would
        print_target_exception(e)
        code = 1
    finally:
        if perf is not None:
            perf.close()
        if tracer is not None:
            sync.mark_end(tracer)
            tracer.save()
            sync.after_save(tracer)
        if opts.sync_out:
            sync.write(opts.sync_out, viztracer_version)
    sys.stdout.flush()
    if perf is not None:
        hand_over_final_window()
    return code


def hand_over_final_window(timeout=10.0):
    """Tells the engine the program is done and waits until it has cut perf's last window.

    perf takes a long time to exit once the traced process is gone; while this process still lives, the engine
    can have perf dump the window in milliseconds and start the analysis at once.
    """
    done_path, go_path = os.environ.get("PER4M_DONE_FIFO"), os.environ.get("PER4M_GO_FIFO")
    if not done_path or not go_path:
        return
    try:
        go = os.open(go_path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        done = os.open(done_path, os.O_WRONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return  # nobody is waiting: the engine stops perf the slow way
    try:
        os.write(done, b"done\n")
        os.close(done)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            readable, _, _ = select.select([go], [], [], deadline - time.monotonic())
            if readable and os.read(go, 16):
                break
    finally:
        os.close(go)


if __name__ == "__main__":
    sys.exit(main())
