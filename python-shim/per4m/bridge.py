"""One engine JVM per Python process, reached over py4j on 127.0.0.1 with a random auth token.

The token goes to the JVM on its stdin (never argv or the environment, which others may read); the JVM picks
a free port and prints it on stdout; it exits when its stdin closes, so it dies with us whatever the way.
"""
from __future__ import annotations

import atexit
import collections
import os
import secrets
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable, Optional

from .engine import find_jar, find_java, java_options

PORT_LINE_PREFIX = "PER4M_GATEWAY_PORT "
GATEWAY_MAIN = "io.per4m.bridge.GatewayMain"


class EngineError(RuntimeError):
    """The engine could not be started or reached; the message is one line."""


class Bridge:
    """Starts the engine on first use, reuses it, restarts it if it died, stops it at exit."""

    def __init__(self, startup_timeout: float = 60.0, notify: Callable[[str], None] = print):
        self._startup_timeout = startup_timeout
        self._notify = notify
        self._lock = threading.RLock()
        self._proc: Optional[subprocess.Popen] = None
        self._gateway = None
        self._log_path: Optional[Path] = None
        self._stdout_tail: collections.deque = collections.deque(maxlen=50)
        self._starts = 0
        self.port: Optional[int] = None
        atexit.register(self.shutdown)

    @property
    def pid(self) -> Optional[int]:
        return self._proc.pid if self._proc else None

    @property
    def starts(self) -> int:
        """How many JVMs this bridge has started."""
        return self._starts

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def facade(self):
        """The engine's EngineFacade (py4j proxy); starts or restarts the JVM when needed."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is not None:
                code = self._proc.returncode
                reason = self.log_tail(1)
                self._notify(f"per4m: the engine (JVM) exited with code {code}"
                             + (f" ({reason})" if reason else "") + "; restarting it")
                self._forget()
            if self._proc is None:
                self._start()
            return self._gateway.entry_point

    def log_tail(self, lines: int = 5) -> str:
        if not self._log_path or not self._log_path.exists():
            return ""
        text = self._log_path.read_text(errors="replace").strip().splitlines()
        return " | ".join(text[-lines:])

    def _start(self) -> None:
        from py4j.java_gateway import GatewayParameters, JavaGateway

        token = secrets.token_urlsafe(32)
        java, jar = find_java(), find_jar()
        if self._log_path is not None:
            shutil.rmtree(self._log_path.parent, ignore_errors=True)
        log_dir = Path(tempfile.mkdtemp(prefix="per4m-gateway-"))
        self._log_path = log_dir / "engine.log"
        with open(self._log_path, "wb") as log:
            proc = subprocess.Popen(
                [java, "-Djava.net.preferIPv4Stack=true", *java_options(jar, "gateway"), "-cp", str(jar), GATEWAY_MAIN],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                # Own session: the kernel's interrupt (SIGINT to its process group) must not reach the JVM or perf.
                start_new_session=True, close_fds=True)
        try:
            proc.stdin.write((token + "\n").encode())
            proc.stdin.flush()
            port = self._read_port(proc)
        except BaseException:
            _stop_process(proc)
            raise
        threading.Thread(target=self._drain_stdout, args=(proc,), name="per4m-engine-stdout", daemon=True).start()
        gateway = JavaGateway(
            gateway_parameters=GatewayParameters(address="127.0.0.1", port=port, auth_token=token,
                                                 auto_convert=False, eager_load=False),  # requests go as JSON strings
            callback_server_parameters=None)
        try:
            # connects and authenticates now; py4j's eager_load would ask for System, which the engine refuses
            gateway.entry_point.version()
        except BaseException:
            gateway.close()
            _stop_process(proc)
            raise
        self._proc, self._gateway, self.port = proc, gateway, port
        self._starts += 1

    def _read_port(self, proc: subprocess.Popen) -> int:
        deadline = time.monotonic() + self._startup_timeout
        with selectors.DefaultSelector() as selector:
            selector.register(proc.stdout, selectors.EVENT_READ)
            buffered = b""
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise EngineError(f"per4m engine did not start within {self._startup_timeout:.0f} s"
                                      f" (log: {self._log_path})")
                if not selector.select(remaining):
                    continue
                chunk = os.read(proc.stdout.fileno(), 4096)
                if not chunk:
                    proc.wait(timeout=5)
                    raise EngineError(f"per4m engine exited at start with code {proc.returncode}: "
                                      f"{self.log_tail(3) or 'no output'}")
                buffered += chunk
                while b"\n" in buffered:
                    line, buffered = buffered.split(b"\n", 1)
                    text = line.decode(errors="replace").strip()
                    if text.startswith(PORT_LINE_PREFIX):
                        return int(text[len(PORT_LINE_PREFIX):])
                    self._stdout_tail.append(text)

    def _drain_stdout(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            self._stdout_tail.append(line.decode(errors="replace").rstrip())

    def _forget(self) -> None:
        gateway, proc = self._gateway, self._proc
        self._gateway = self._proc = None
        if gateway is not None:
            try:
                gateway.close(keep_callback_server=False, close_callback_server_connections=False)
            except Exception:
                pass
        if proc is not None:
            _stop_process(proc)

    def shutdown(self) -> None:
        """Stops the engine (it stops perf) and removes its log; safe to call twice."""
        with self._lock:
            self._forget()
            if self._log_path is not None:
                shutil.rmtree(self._log_path.parent, ignore_errors=True)
                self._log_path = None


def _stop_process(proc: subprocess.Popen, timeout: float = 10.0) -> None:
    """Closing stdin asks the JVM to stop perf and exit; it is killed if it does not."""
    try:
        if proc.stdin and not proc.stdin.closed:
            proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
