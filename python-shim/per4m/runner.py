"""Runs a Python program as ``__main__`` under viztracer, with perf recording enabled right around it.

Invoked by the engine::

    python -m per4m.runner --viztracer-out viz.json --sync-out sync.json [--import a,b] [--no-viztracer]
                           [--perf-trampoline --child-pids-out pids.txt]
                           (--module M | SCRIPT) [args...]

The target runs exactly as ``python SCRIPT args`` / ``python -m M args`` would run it (``__name__ == "__main__"``,
``sys.argv``, exit code, traceback). Recording is driven through perf's control fifos, named by the
environment variables PER4M_PERF_CTL and PER4M_PERF_ACK: ``enable`` is acknowledged before the target's first
line runs and ``disable`` is sent after its last, also when it raises or calls sys.exit.

The sync file pairs viztracer timestamps with CLOCK_MONOTONIC readings (the clock perf records with), so the
engine can compute the offset between the two (io.per4m.trace.ViztracerClock).

A target that cannot start (no such module, a syntax error, an --import that fails, an import error raised by
its top-level code before any of its functions ran) exits with Python's message and exit code, and leaves no
file at PER4M_STARTED_FILE: the engine then writes no report of a run in which nothing ran.

With --perf-trampoline (Python 3.12+) the target runs with CPython's perf trampolines, which write
/tmp/perf-PID.map so that the engine can name the Python functions on perf's sampled stacks; the names of the
threads go to the sync file as always, and forked children (which write maps of their own) to --child-pids-out.
"""

import errno
import importlib.util
import json
import os
import runpy
import select
import signal
import sys
import threading
import time
import traceback

CTL_ENV = "PER4M_PERF_CTL"
ACK_ENV = "PER4M_PERF_ACK"
STARTED_ENV = "PER4M_STARTED_FILE"
PERF_TIMEOUT_S = float(os.environ.get("PER4M_PERF_TIMEOUT_S", "30"))
USAGE = ("usage: python -m per4m.runner [--viztracer-out FILE] [--sync-out FILE] [--import MODULES] "
         "[--no-viztracer] [--fallback-path DIR] [--perf-trampoline] [--child-pids-out FILE] "
         "(--module MODULE | SCRIPT) [args...]")
TRAMPOLINE_NEEDS = (3, 12)


class UsageError(Exception):
    pass


class Options:
    def __init__(self):
        self.viztracer_out = "viztracer.json"
        self.sync_out = None
        self.imports = []
        self.viztracer = True
        self.perf_trampoline = False
        self.child_pids_out = None
        self.module = None
        self.fallback_path = None
        self.script = None
        self.args = []


# options with a value, by the attribute of Options they set; switches, by the attribute and the value they set
VALUE_OPTIONS = {"--viztracer-out": "viztracer_out", "--sync-out": "sync_out", "--fallback-path": "fallback_path",
                 "--child-pids-out": "child_pids_out"}
SWITCHES = {"--no-viztracer": ("viztracer", False), "--perf-trampoline": ("perf_trampoline", True)}


def parse_args(argv):
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]

        def value():
            if i + 1 >= len(argv):
                raise UsageError(f"{arg} needs a value")
            return argv[i + 1]

        if arg in VALUE_OPTIONS:
            setattr(opts, VALUE_OPTIONS[arg], value())
            i += 2
        elif arg in SWITCHES:
            setattr(opts, *SWITCHES[arg])
            i += 1
        elif arg == "--import":
            opts.imports += [m for m in value().split(",") if m]
            i += 2
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


class StartFailed(Exception):
    """The target could not start; the message is what Python would print, the exit code what it would give."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.code = code


def check_target(opts):
    """Finds and compiles the target the way ``python -m M`` / ``python SCRIPT`` would, before anything records."""
    if opts.module is not None:
        get_details = getattr(runpy, "_get_module_details", None)
        try:
            if get_details is not None:
                get_details(opts.module)
            elif importlib.util.find_spec(opts.module) is None:
                raise ImportError(f"No module named {opts.module}")
        except ImportError as e:
            raise StartFailed(f"{sys.executable}: {e}")
        return
    import zipfile  # here: only a script needs it, and its import costs a start 20 ms

    if os.path.isfile(opts.script) and not zipfile.is_zipfile(opts.script):
        with open(opts.script, "rb") as f:
            source = f.read()
        try:
            compile(source, opts.script, "exec")
        except (SyntaxError, ValueError) as e:
            raise StartFailed("".join(traceback.format_exception_only(type(e), e)).rstrip())


def import_modules(modules):
    for module in modules:
        try:
            __import__(module)
        except ImportError as e:
            raise StartFailed(f"per4m: --import {module}: {e}")


def target_frames(tb):
    """The traceback's frames below this runner, runpy and importlib's own."""
    own = {os.path.abspath(__file__), os.path.abspath(runpy.__file__)}
    frames = []
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if os.path.abspath(filename) not in own and not filename.startswith("<frozen "):
            frames.append(tb.tb_frame.f_code)
        tb = tb.tb_next
    return frames


def failed_while_importing(exc):
    """An import error raised by the target's top-level code (and the modules it imports) before any call."""
    return isinstance(exc, ImportError) and all(code.co_name == "<module>" for code in target_frames(exc.__traceback__))


def mark_started():
    path = os.environ.get(STARTED_ENV)
    if path:
        with open(path, "w"):
            pass


def unmark_started():
    path = os.environ.get(STARTED_ENV)
    if path and os.path.exists(path):
        os.unlink(path)


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


ENGINE_PID_ENV = "PER4M_ENGINE_PID"
PR_SET_PDEATHSIG = 1


def tie_to_engine():
    """Dies (SIGKILL) when the engine that started this process dies, whatever kills it.

    The engine's own watcher also kills every process of the run; this covers the runner should that watcher be gone.
    """
    engine = os.environ.get(ENGINE_PID_ENV)
    if not engine or not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != int(engine):
        os._exit(128 + signal.SIGKILL)  # the engine died before the tie was made


class EngineSignals:
    """SIGINT, SIGTERM and SIGHUP while the target runs, and none while the runner saves its trace.

    The engine passes on the signals it gets; a terminal's Ctrl-C reaches this process both directly and through
    the engine, so two SIGINTs close together are one KeyboardInterrupt. SIGTERM and SIGHUP end the target like
    sys.exit would (its finally blocks run, the trace is saved).
    """

    TWIN_S = 0.5

    def __init__(self):
        self.last_interrupt = None

    def on_interrupt(self, signum, frame):
        now = time.monotonic()
        if self.last_interrupt is not None and now - self.last_interrupt < self.TWIN_S:
            return
        self.last_interrupt = now
        raise KeyboardInterrupt

    @staticmethod
    def on_terminate(signum, frame):
        raise SystemExit(128 + signum)

    def install(self):
        if threading.current_thread() is not threading.main_thread():
            return
        signal.signal(signal.SIGINT, self.on_interrupt)
        signal.signal(signal.SIGTERM, self.on_terminate)
        signal.signal(signal.SIGHUP, self.on_terminate)

    @staticmethod
    def shield():
        """The target is over: what is left (disable perf, save the trace) must not be cut short."""
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)


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

    def write(self, path, viztracer_version, thread_names=None):
        data = {
            "clock": "CLOCK_MONOTONIC",
            "pid": os.getpid(),
            "viztracer_version": viztracer_version,
            "pairs": sorted(self.pairs, key=lambda p: p["clock_ns"]),
            "perf": self.perf,
            "threads": thread_names or {},
        }
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f, indent=1)
        os.replace(tmp, path)


class ThreadNames:
    """Each Python thread's name by its OS thread id, as the program left it (a name changed while running takes
    its last value). threading.Thread.start is wrapped while recording: viztracer names threads Dummy-N on 3.12+,
    and without viztracer nothing names them at all."""

    def __init__(self):
        self._threads = {}
        self._original = None

    def _note(self, thread):
        tid = getattr(thread, "native_id", None)
        if tid:
            self._threads[tid] = thread  # a reused OS thread id belongs to the thread started last

    def start(self):
        for thread in threading.enumerate():
            self._note(thread)
        original = threading.Thread.start
        note = self._note

        def start(thread, *args, **kwargs):
            original(thread, *args, **kwargs)
            note(thread)  # start() returns once the thread runs: its native_id is set

        start.__wrapped__ = original
        threading.Thread.start = start
        self._original = original

    def stop(self):
        """Puts threading back and returns {OS thread id: name}."""
        if self._original is not None and getattr(threading.Thread.start, "__wrapped__", None) is self._original:
            threading.Thread.start = self._original
        self._original = None
        for thread in threading.enumerate():
            self._note(thread)
        return {str(tid): thread.name for tid, thread in self._threads.items()}


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
        use_fallback_path(opts)
    else:
        sys.argv = [opts.script] + opts.args
        sys.path.insert(0, os.path.dirname(os.path.abspath(opts.script)))


def use_fallback_path(opts):
    """A module of a package this environment lacks (per4m.examples where per4m is not installed) is taken from the
    copy the engine carries; last on sys.path, so an installed one wins."""
    if not opts.fallback_path:
        return
    import importlib.util
    try:
        found = importlib.util.find_spec(opts.module.split(".")[0]) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        sys.path.append(opts.fallback_path)


def run_target(opts):
    if opts.module is not None:
        runpy.run_module(opts.module, run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(opts.script, run_name="__main__")
    # the interpreter waits for non-daemon threads at exit; do it here so they are traced too
    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()


class StackTrampoline:
    """CPython's perf trampolines (3.12+) while the target runs, so that perf's stack samples name Python functions
    (/tmp/perf-PID.map); forked children, which write maps of their own, are listed for their removal."""

    def __init__(self, opts):
        self.opts = opts

    @staticmethod
    def check():
        if sys.version_info < TRAMPOLINE_NEEDS or not hasattr(sys, "activate_stack_trampoline"):
            raise UsageError(f"sampled Python stacks need Python 3.12+ with perf trampolines "
                             f"({sys.executable} is {sys.version.split()[0]}): use --python-stacks=viztracer")

    def _note_child(self):
        if self.opts.child_pids_out:
            with open(self.opts.child_pids_out, "a") as f:
                f.write(f"{os.getpid()}\n")

    def start(self):
        os.register_at_fork(after_in_child=self._note_child)
        sys.activate_stack_trampoline("perf")

    def stop(self):
        sys.deactivate_stack_trampoline()


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
    tie_to_engine()
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
    try:
        import_modules(opts.imports)
        tracer, viztracer_version = make_tracer(opts)
        prepare_target(opts)
        check_target(opts)
        trampoline = None
        if opts.perf_trampoline:
            StackTrampoline.check()
            trampoline = StackTrampoline(opts)
    except UsageError as e:
        print(f"per4m: {e}", file=sys.stderr)
        return 2
    except StartFailed as e:
        print(e, file=sys.stderr)
        return e.code
    try:
        perf = PerfControl.from_env()
    except PerfGone as e:
        warn(f"{e}; running without perf")
        perf = None
    sync = ClockSync()
    thread_names = ThreadNames()
    thread_names.start()
    signals = EngineSignals()
    signals.install()

    code = 0
    mark_started()
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
        if trampoline is not None:
            trampoline.start()
        try:
            run_target(opts)
        finally:
            signals.shield()
            if trampoline is not None:
                trampoline.stop()
            if tracer is not None:
                tracer.stop()
            if perf is not None:
                try:
                    sync.perf["disabled_ns"] = monotonic_ns()
                    perf.send("disable")
                except PerfGone as e:
                    warn(str(e))
    except SystemExit as e:
        signals.shield()
        code = exit_code_of(e)
    except KeyboardInterrupt as e:
        signals.shield()
        print_target_exception(e)
        code = 130
    except BaseException as e:  # noqa: B902 - the target's exception, reported the way Python would
        signals.shield()
        print_target_exception(e)
        code = 1
        if failed_while_importing(e):
            unmark_started()
    finally:
        if perf is not None:
            perf.close()
        if tracer is not None:
            sync.mark_end(tracer)
            tracer.save()
            sync.after_save(tracer)
        names = thread_names.stop()
        if opts.sync_out:
            sync.write(opts.sync_out, viztracer_version, names)

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
