"""Console scripts: `per4m`, `giltracer` and `offgil` run the Java engine; `per4m install-kernel` is Python."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from .engine import EngineNotFound, find_jar, find_java, java_options

KERNEL_NAME = "per4m"
KERNEL_DISPLAY_NAME = "Python 3 (per4m)"


def kernel_spec(python: str) -> dict:
    """The kernelspec (kernel/per4m/kernel.json with the interpreter filled in)."""
    return {
        "argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}", "--ext=per4m.preload"],
        "display_name": KERNEL_DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": True},
    }


def exec_engine(command: list[str]) -> None:
    """Replaces this process with the engine, so exit code and signals pass straight through."""
    try:
        java, jar = find_java(), find_jar()
    except EngineNotFound as error:
        print(f"{Path(sys.argv[0]).name}: {error}", file=sys.stderr)
        sys.exit(2)
    argv = [java, *java_options(jar, command[0] if command else ""), "-jar", str(jar), *command]
    # the engine runs targets, kernels and checks with the interpreter these scripts were installed for
    os.environ.setdefault("PER4M_PYTHON", sys.executable)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(java, argv)


def per4m_main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["install-kernel"]:
        sys.exit(install_kernel(args[1:]))
    exec_engine(args)


def giltracer_main() -> None:
    exec_engine(["giltracer", *sys.argv[1:]])


def offgil_main() -> None:
    exec_engine(["offgil", *sys.argv[1:]])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("per4m")
    except PackageNotFoundError:
        return "dev"


def install_kernel(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="per4m install-kernel",
                                     description=f'Install the "{KERNEL_DISPLAY_NAME}" Jupyter kernel '
                                                 "(ipykernel with %load_ext per4m already done).")
    parser.add_argument("-V", "--version", action="version", version=f"per4m {_version()}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for the current user (the default)")
    where.add_argument("--sys-prefix", action="store_true", help="into this Python's prefix (a venv or conda env)")
    where.add_argument("--prefix", metavar="P", help="into prefix P")
    parser.add_argument("--name", default=KERNEL_NAME, help="kernel name (default: %(default)s)")
    parser.add_argument("--python", default=sys.executable, help="interpreter the kernel runs (default: this one)")
    args = parser.parse_args(argv)
    from jupyter_client.kernelspec import KernelSpecManager

    prefix = sys.prefix if args.sys_prefix else args.prefix
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / args.name
        source.mkdir()
        (source / "kernel.json").write_text(json.dumps(kernel_spec(args.python), indent=1) + "\n")
        checkout_logos = Path(__file__).resolve().parent.parent.parent / "kernel" / KERNEL_NAME
        for logo in checkout_logos.glob("logo-*.png") if checkout_logos.is_dir() else []:
            shutil.copy(logo, source)
        destination = KernelSpecManager().install_kernel_spec(str(source), kernel_name=args.name,
                                                              user=prefix is None, prefix=prefix)
    print(f'Installed kernel "{KERNEL_DISPLAY_NAME}" ({args.name}) in {destination}')
    return 0
