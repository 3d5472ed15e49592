"""Finds the Java engine: the jar (package data here in a wheel, ../target in a source checkout) and java."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

JAR_NAME = "per4m.jar"
BUILD_HINT = "run `mvn -q package -DskipTests` at the top of the per4m checkout"


class EngineNotFound(RuntimeError):
    """The jar or java is missing; the message is one line saying what to do."""


def jar_candidates() -> list[Path]:
    here = Path(__file__).resolve().parent
    candidates = []
    if os.environ.get("PER4M_JAR"):
        candidates.append(Path(os.environ["PER4M_JAR"]))
    candidates.append(here / JAR_NAME)  # inside a wheel
    candidates.append(here.parent.parent.parent / "target" / JAR_NAME)  # python-shim/per4m/engine -> checkout
    return candidates


def find_jar() -> Path:
    for candidate in jar_candidates():
        if candidate.is_file():
            return candidate
    raise EngineNotFound(f"per4m engine jar not found (looked in {', '.join(map(str, jar_candidates()))}): {BUILD_HINT}")


def find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidate = Path(java_home) / "bin" / "java"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    found = shutil.which("java")
    if found:
        return found
    raise EngineNotFound("java not found: install Java 17 or newer (apt-get install openjdk-17-jre-headless) "
                         "or set JAVA_HOME")


ARCHIVE_NAME = "per4m.jsa"
# commands whose work is cell-sized: C1 alone starts them faster than tiered C2, which pays off only on big inputs
QUICK_COMMANDS = {"giltracer", "gateway"}


def java_options(jar: Path, command: str) -> list[str]:
    """JVM options for `command`: the class-data archive made next to the jar (scripts/bootstrap.sh) when there is
    one (a stale one is ignored by the JVM, silently), C1 only and the serial collector for the quick commands (both
    measured quicker on their short, allocation-heavy bursts of work), then PER4M_JAVA_OPTS."""
    options = []
    archive = jar.with_name(ARCHIVE_NAME)
    if archive.is_file():
        options += [f"-XX:SharedArchiveFile={archive}", "-Xlog:cds=off", "-Xlog:cds+dynamic=off"]
    if command in QUICK_COMMANDS:
        options += ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    return options + os.environ.get("PER4M_JAVA_OPTS", "").split()
