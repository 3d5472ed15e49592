"""Console scripts: the engine is exec'd with exit code passed through; install-kernel writes the kernelspec."""
import json
import os
import subprocess
import sys

from conftest import ROOT, needs_engine

SHIM = str(ROOT / "python-shim")


def run_cli(function: str, *args, env=None):
    code = f"import sys; sys.path.insert(0, {SHIM!r}); sys.argv[1:] = {list(args)!r}; " \
           f"from per4m.cli import {function}; {function}()"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


@needs_engine
def test_per4m_execs_the_engine_and_passes_its_exit_code():
    ok = run_cli("per4m_main", "--version")
    assert ok.returncode == 0 and ok.stdout.startswith("per4m "), ok
    bad = run_cli("per4m_main", "no-such-command")
    assert bad.returncode == 2 and "no-such-command" in bad.stderr


def test_a_missing_jar_is_one_line_saying_how_to_build_it(tmp_path):
    # Point at a copy of the package with no jar next to it and no checkout around it.
    import shutil
    shutil.copytree(ROOT / "python-shim" / "per4m", tmp_path / "per4m",
                    ignore=shutil.ignore_patterns("*.jar", "__pycache__"))
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); sys.argv[1:] = ['--version']; " \
           "from per4m.cli import per4m_main; per4m_main()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "PER4M_JAR"})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "mvn -q package -DskipTests" in result.stderr, result.stderr


def test_install_kernel_into_a_prefix_uses_this_interpreter(tmp_path):
    result = run_cli("per4m_main", "install-kernel", "--prefix", str(tmp_path))
    assert result.returncode == 0, result.stderr
    spec = json.loads((tmp_path / "share/jupyter/kernels/per4m/kernel.json").read_text())
    assert spec["display_name"] == "Python 3 (per4m)"
    assert spec["argv"][0] == sys.executable and spec["argv"][-1] == "--ext=per4m.preload"


@needs_engine
def test_every_command_answers_help_and_version_with_exit_0():
    commands = [("per4m_main", ["perf2trace"]), ("per4m_main", ["report"]), ("offgil_main", []),
                ("per4m_main", ["doctor"]), ("per4m_main", ["setup"]), ("giltracer_main", []),
                ("per4m_main", ["run-notebook"]), ("per4m_main", ["install-kernel"])]
    for function, command in commands:
        for option in ("-h", "--help", "-V", "--version"):
            result = run_cli(function, *command, option)
            what = f"{function} {command} {option}"
            assert result.returncode == 0, (what, result.stdout, result.stderr)
            if option in ("-V", "--version"):
                assert result.stdout.startswith("per4m "), (what, result.stdout)
            else:
                assert "Usage" in result.stdout or "usage" in result.stdout, (what, result.stdout)
