"""A real ipykernel driven through jupyter_client, and what its cells publish."""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec

SUMMARY_MIME = "application/vnd.per4m.summary+json"


@dataclass
class CellRun:
    reply: dict
    messages: list = field(default_factory=list)  # iopub messages in order: (msg_type, content)

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    def of_type(self, *types) -> list:
        return [content for msg_type, content in self.messages if msg_type in types]

    @property
    def displays(self) -> list:
        return self.of_type("display_data")

    @property
    def stdout(self) -> str:
        return "".join(c["text"] for c in self.of_type("stream") if c["name"] == "stdout")

    @property
    def display_text(self) -> str:
        return "\n".join(d["data"].get("text/plain", "") for d in self.displays)

    @property
    def errors(self) -> list:
        return self.of_type("error")

    def kinds(self) -> list:
        return [msg_type for msg_type, _ in self.messages if msg_type in ("display_data", "error", "stream",
                                                                          "execute_result")]


class Kernel:
    def __init__(self, cwd: Path, extra_args=()):
        self.spec_dir = Path(tempfile.mkdtemp(prefix="per4m-kspec-"))
        self.km = KernelManager()
        self.km._kernel_spec = KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", *extra_args],
            display_name="per4m test", language="python", resource_dir=str(self.spec_dir))
        self.km.start_kernel(cwd=str(cwd))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    @property
    def pid(self) -> int:
        return self.km.provisioner.process.pid

    def run(self, code: str, timeout: float = 120, interrupt_after: float = None) -> CellRun:
        msg_id = self.kc.execute(code)
        run = CellRun(reply={})
        started = time.monotonic()
        interrupted = interrupt_after is None
        idle = False
        while not idle:
            if not interrupted and time.monotonic() - started > interrupt_after:
                self.km.interrupt_kernel()
                interrupted = True
            try:
                msg = self.kc.get_iopub_msg(timeout=0.2)
            except Exception:
                if time.monotonic() - started > timeout:
                    raise TimeoutError(f"cell did not finish in {timeout} s: {code[:60]!r}")
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            else:
                run.messages.append((msg["msg_type"], msg["content"]))
        run.reply = self.kc.get_shell_msg(timeout=timeout)
        while run.reply["parent_header"].get("msg_id") != msg_id:
            run.reply = self.kc.get_shell_msg(timeout=timeout)
        return run

    def value(self, expression: str):
        run = self.run(f"import json as _j; print(_j.dumps({expression}))")
        assert run.status == "ok", run.errors
        return json.loads(run.stdout.strip().splitlines()[-1])

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=False)
            shutil.rmtree(self.spec_dir, ignore_errors=True)
