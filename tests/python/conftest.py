import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "python-shim"))

from per4m.engine import EngineNotFound, find_jar, find_java  # noqa: E402


def engine_available() -> bool:
    try:
        find_jar()
        find_java()
        return True
    except EngineNotFound:
        return False


needs_engine = pytest.mark.skipif(not engine_available(),
                                  reason="engine jar not built (mvn -q package -DskipTests) or java missing")


@pytest.fixture
def bridge():
    from per4m.bridge import Bridge

    messages = []
    b = Bridge(notify=messages.append)
    b.messages = messages
    try:
        yield b
    finally:
        b.shutdown()
