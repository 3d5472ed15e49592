"""The %%giltracer cell magic: perf (in the engine) + viztracer (here) around one cell, report shown inline."""
from __future__ import annotations

import asyncio
import datetime
import html
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Optional

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring
from IPython.display import display

from .bridge import Bridge, EngineError
from .engine import EngineNotFound

DEFAULT_TRACE_ROOT = "per4m-traces"
SUMMARY_MIME = "application/vnd.per4m.summary+json"
KERNEL_THREAD_MODULES = ("ipykernel", "IPython", "jupyter_client", "zmq", "tornado")
NATIVE_KERNEL_THREAD_PREFIXES = ("ZMQbg/",)


class EngineUnavailable(Exception):
    """Tracing cannot start (perf, probes or the engine missing); the message is one line."""


@magics_class
class GilTracerMagics(Magics):
    def __init__(self, shell, bridge: Optional[Bridge] = None):
        super().__init__(shell)
        self.bridge = bridge or Bridge(notify=_notify)
        self.last_result: Optional[dict] = None
        self._tracer = None

    @magic_arguments()
    @argument("--state-detect", action="store_true",
              help="also record process states (running, R, S, D, S(GIL)) from scheduler tracepoints")
    @argument("--no-gil-detect", action="store_true", help="do not record the GIL uprobes (take_gil/drop_gil)")
    @argument("--counters", default="", metavar="LIST",
              help="comma-separated perf counters to record per thread, e.g. page-faults,context-switches")
    @argument("--no-viztracer", action="store_true", help="do not run viztracer (no Python call stacks)")
    @argument("-o", "--output-dir", default=None, metavar="DIR",
              help=f"where each cell's files go: DIR/cell-<number>-<time>/ (default: ./{DEFAULT_TRACE_ROOT})")
    @argument("-q", "--quiet", action="store_true", help="show only the links to the files, not the report")
    @argument("--show-kernel-threads", action="store_true",
              help="show the kernel's own threads (heartbeat, IOPub, control) one by one instead of as one group")
    @argument("--probe-group", default="python", metavar="GROUP",
              help="uprobe group holding the GIL probes (default: %(default)s)")
    @line_cell_magic
    def giltracer(self, line, cell=None):
        """Run the cell while recording who holds and who waits for the GIL (perf uprobes, in the per4m engine)
        and the Python call stacks (viztracer), then show the per-thread GIL table, bars, blame and timeline.

        The cell runs in the notebook's namespace: its variables persist and %-magics inside it work.
        The trace (giltracer.json, for Perfetto/viztracer) and the report (giltracer.html) are written to
        ./per4m-traces/cell-<number>-<time>/ (or under -o DIR), never over an earlier cell's files.
        If the cell raises, the report is shown and then the error; an interrupt shows the partial report.
        If perf or the probes are missing, one line says which `per4m setup` command fixes it and the cell
        runs untraced.
        """
        if cell is None:
            raise UsageError("%%giltracer is a cell magic: put it on the first line of the cell to trace")
        args = parse_argstring(self.giltracer, line)
        options = {
            "gil": not args.no_gil_detect,
            "states": args.state_detect,
            "counters": [c.strip() for c in args.counters.split(",") if c.strip()],
            "probeGroup": args.probe_group,
        }
        started = time.perf_counter()
        prompt = prompt_number(self.shell)
        out_dir = _new_cell_dir(args.output_dir, prompt)
        viztracer_json = None if args.no_viztracer else str(out_dir / "viztracer.json")
        try:
            facade, handle = self._start_recording(options, out_dir, viztracer_json, args.show_kernel_threads)
        except EngineUnavailable as problem:
            _remove_if_empty(out_dir)
            _show_text(f"per4m: {problem} — running the cell without tracing.")
            return self._finish(self._run_cell(line, cell, prompt))

        thread_names = _record_thread_names()
        tracer = None if args.no_viztracer else self._start_viztracer(f"In [{prompt}]")
        cell_started = time.perf_counter()
        try:
            outcome = self._run_cell(line, cell, prompt)
        finally:
            cell_seconds = time.perf_counter() - cell_started
            _save_thread_names(thread_names, out_dir)
            if tracer is not None:
                tracer.stop()
            end_problem = _end_recording(facade, handle)  # perf stops and converts its last window while viztracer saves
            if tracer is not None:
                tracer.save(viztracer_json, verbose=0)
        try:
            result = facade.finishCell(handle)  # with what perf recorded before a failure, which it names
        except KeyboardInterrupt:
            self._detach_quietly()
            _show_text("per4m: interrupted while writing the report; perf was stopped.")
            return self._finish(outcome)
        except Exception as error:  # the cell's own outcome matters more than the report
            _show_text(f"per4m: the report could not be made: {end_problem or _one_line(error)}")
            return self._finish(outcome)
        self.last_result = _result_dict(result, handle, cell_seconds, time.perf_counter() - started)
        _show_result(self.last_result, quiet=args.quiet)
        return self._finish(outcome)

    def _start_viztracer(self, title: str):
        """One tracer for the kernel's life, cleared for each cell. A discarded tracer, when the garbage collector
        gets to it, switches off tracing of new threads for whichever tracer runs then (viztracer's dealloc calls
        threading.setprofile(None)): a cell's threads would go untraced at random."""
        if self._tracer is None:
            from viztracer import VizTracer

            # no source files in the trace: quicker to save, and the report does not show them
            self._tracer = VizTracer(verbose=0, register_global=False, file_info=False)
        else:
            self._tracer.clear()
        self._tracer.process_name = title  # the report's title: the cell, not multiprocessing's "MainProcess"
        self._tracer.start()
        return self._tracer

    def _start_recording(self, options: dict, out_dir: Path, viztracer_json: Optional[str], show_kernel_threads: bool):
        try:
            facade = self.bridge.facade()
            # one JSON object: the engine's CellRecordingRequest (io.per4m.bridge)
            request = {"pid": os.getpid(), "python": sys.executable, "outDir": str(out_dir),
                       "viztracerJson": viztracer_json, "kernelTids": kernel_thread_ids(),
                       "showKernelThreads": show_kernel_threads, "recording": options}
            handle = facade.startRecording(json.dumps(request))
            return facade, handle
        except (EngineNotFound, EngineError) as error:
            raise EngineUnavailable(str(error)) from None
        except Exception as error:
            raise EngineUnavailable(_one_line(error)) from None

    def _detach_quietly(self) -> None:
        try:
            self.bridge.facade().detach()
        except Exception:
            self.bridge.shutdown()

    def _run_cell(self, line: str, cell: str, prompt: int):
        """Runs the cell like a normal one, but holds back its error, unformatted, so that its traceback is made after
        the recording and shown after the report (IPython's public custom-exception hook, for this cell only).

        The code is compiled as `In [7]` (the name viztracer gives its frames; tracebacks say `Cell In[7]`) under
        the cell's own prompt number (IPython 9 has counted the next cell already while this one runs) and below its
        `%%giltracer` line, so that its line numbers are the ones the user sees. A cell with top-level `await` runs
        on a loop of its own on this thread: the kernel's loop is busy running this very cell."""
        shell = self.shell
        held = []

        def hold(_shell, etype, value, tb, tb_offset=None):
            held.append((etype, value, tb, tb_offset))

        custom = shell.custom_exceptions, shell.CustomTB
        counted, loop_runner = shell.execution_count, shell.loop_runner
        code_name = vars(shell.compile).get("get_code_name")
        shell.set_custom_exc((BaseException,), hold)
        shell.execution_count, shell.loop_runner = prompt, _run_on_a_loop_of_its_own
        shell.compile.get_code_name = lambda raw, transformed, number: f"In [{number}]"
        try:
            # IPython drops leading blank lines: the magic's own line, as a comment, keeps the user's numbering
            result = shell.run_cell(f"# %%giltracer {line}\n{cell}", store_history=False)
        finally:
            if code_name is None:
                del shell.compile.get_code_name
            else:
                shell.compile.get_code_name = code_name
            shell.execution_count, shell.loop_runner = counted, loop_runner
            shell.custom_exceptions, shell.CustomTB = custom
        return result, held

    def _finish(self, outcome):
        """Shows the cell's error now, as IPython would have, and makes the cell fail like the original."""
        result, held = outcome
        if not held:
            return None
        etype, value, tb, tb_offset = held[-1]
        shell = self.shell
        if issubclass(etype, SyntaxError):
            stb = shell.SyntaxTB.structured_traceback(etype, value, [])
        else:
            stb = shell.InteractiveTB.structured_traceback(etype, value, tb, tb_offset=tb_offset)
        error = result.error_in_exec or result.error_before_exec or value
        try:
            error._render_traceback_ = lambda stb=stb: stb
        except AttributeError:  # exceptions without a __dict__ cannot carry the traceback: show it directly
            shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
            return None
        raise error


def prompt_number(shell) -> int:
    """The number the user sees at the running cell's prompt (`In [7]`). The cell's input is stored in the history
    before it runs, under that number; `execution_count` already counts the next cell then in IPython 9, not in 8."""
    history = getattr(shell.history_manager, "input_hist_raw", None)
    return len(history) - 1 if history and len(history) > 1 else shell.execution_count


def _run_on_a_loop_of_its_own(coroutine):
    """Runs a cell's coroutine to the end on a new event loop, on this thread, while the kernel's loop (which runs
    the cell magic) waits: asyncio allows one running loop per thread, so the kernel's is set aside meanwhile."""
    kernel_loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            loop.close()
            asyncio.events._set_running_loop(kernel_loop)


def _end_recording(facade, handle) -> Optional[str]:
    """Ends the cell's recording; returns why perf failed at the end (one line), or None."""
    try:
        facade.endCell(handle)
        return None
    except Exception as error:
        return _one_line(error)


def _record_thread_names():
    """Starts noting the cell's threads by OS thread id (viztracer names them Dummy-N on 3.12+)."""
    from .runner import ThreadNames

    names = ThreadNames()
    names.start()
    return names


def _save_thread_names(names, out_dir: Path) -> None:
    """Writes the names as the cell left them where the engine reads them (io.per4m.trace.PythonThreadNames)."""
    with open(out_dir / "thread-names.json", "w") as f:
        json.dump({"threads": names.stop()}, f)


def kernel_thread_ids() -> list:
    """Thread ids of the kernel's own machinery (heartbeat, IOPub, control, history, zmq I/O)."""
    main = threading.main_thread().native_id
    tids = set()
    for thread in threading.enumerate():
        module = (type(thread).__module__ or "").split(".")[0]
        if module in KERNEL_THREAD_MODULES and thread.native_id:
            tids.add(thread.native_id)
    task_dir = Path(f"/proc/{os.getpid()}/task")
    if task_dir.is_dir():
        for task in task_dir.iterdir():
            try:
                comm = (task / "comm").read_text().strip()
            except OSError:
                continue
            if comm.startswith(NATIVE_KERNEL_THREAD_PREFIXES):
                tids.add(int(task.name))
    tids.discard(main)
    tids.discard(threading.get_native_id())
    return sorted(tids)


def _remove_if_empty(directory: Path) -> None:
    try:
        directory.rmdir()
    except OSError:
        pass


def _new_cell_dir(root: Optional[str], execution_count: int) -> Path:
    base = Path(root) if root else Path(DEFAULT_TRACE_ROOT)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"cell-{execution_count:03d}-{stamp}"
    candidate, n = (base / name).absolute(), 1
    while True:
        try:
            candidate.mkdir(parents=True, exist_ok=False)
            return candidate
        except FileExistsError:
            n += 1
            candidate = (base / f"{name}-{n}").absolute()


def _result_dict(result, handle, cell_seconds: float, total_seconds: float) -> dict:
    return {
        "out_dir": result.outDir(),
        "trace_json": result.traceJson(),
        "report_html": result.reportHtml(),
        "summary": json.loads(result.summaryJson() or "{}"),
        "inline_html": result.inlineHtml() or "",
        "messages": list(result.messages()),
        "lost_events": result.lostEvents(),
        "engine_seconds": result.engineMillis() / 1000.0,
        "first_in_session": handle.firstInSession(),
        "cell_seconds": cell_seconds,
        "overhead_seconds": max(0.0, total_seconds - cell_seconds),
    }


def _link(path: Optional[str]) -> str:
    if not path:
        return ""
    shown = os.path.relpath(path) if not os.path.relpath(path).startswith("..") else path
    return f'<a href="{html.escape(shown)}" target="_blank" rel="noopener">{html.escape(os.path.basename(path))}</a>'


def _show_result(result: dict, quiet: bool) -> None:
    # the inline report carries the links itself: one set per output
    linked = not quiet and "href=" in result["inline_html"]
    links = "" if linked else " · ".join(filter(None, [_link(result["report_html"]), _link(result["trace_json"])]))
    notes = "".join(f"<div>{html.escape(m)}</div>" for m in result["messages"])
    where = f'files in <code>{html.escape(result["out_dir"])}</code>'
    footer = f'<div class="per4m-files">per4m: {links + " in " + where if links else where}</div>' + notes
    text = f"per4m: {result['report_html']} and {result['trace_json']}" + "".join(
        f"\n{m}" for m in result["messages"])
    body = footer if quiet else result["inline_html"] + footer
    display({"text/html": body, "text/plain": text, SUMMARY_MIME: result["summary"]}, raw=True)


def _show_text(message: str) -> None:
    display({"text/plain": message, "text/html": f"<div class=\"per4m-message\">{html.escape(message)}</div>"},
            raw=True)


def _notify(message: str) -> None:
    _show_text(message)


def _one_line(error: BaseException) -> str:
    """A Java UserError/IOException says what to do in its message; anything else names its type."""
    java = getattr(error, "java_exception", None)
    if java is not None:
        try:
            name, message = java.getClass().getName(), java.getMessage()
        except Exception:
            name, message = "java error", str(error)
        if name.endswith("UserError") or name.endswith("IOException"):
            return str(message)
        return f"{name}: {message}"
    return f"{type(error).__name__}: {error}".strip().splitlines()[0]
