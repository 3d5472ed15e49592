"""The py4j gateway: token required, loopback only, token never visible, JVM dies with its parent."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from py4j.java_gateway import GatewayParameters, JavaGateway
from py4j.protocol import Py4JError

from conftest import ROOT, needs_engine

pytestmark = needs_engine


def _raw_exchange(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(payload)
        received = b""
        try:
            while True:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                received += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        return received


def test_with_the_token_the_facade_answers(bridge):
    facade = bridge.facade()
    assert facade.version()
    assert bridge.port and bridge.port > 0


def test_a_raw_connection_without_the_token_is_refused(bridge):
    version = bridge.facade().version()
    token = bridge._gateway.gateway_parameters.auth_token
    # The same raw exchange with the token gets the answer ("!ys" + string), so the protocol spoken is right.
    assert _raw_exchange(bridge.port, f"A\n{token}\nc\nt\nversion\ne\n".encode()).endswith(
        f"!ys{version}\n".encode())
    # py4j call command on the entry point ("t"), method "version", no arguments.
    reply = _raw_exchange(bridge.port, b"c\nt\nversion\ne\n")
    assert version.encode() not in reply
    assert not reply.startswith(b"!ys"), reply
    # And a wrong token is refused as well.
    reply = _raw_exchange(bridge.port, b"A\nnot-the-token-not-the-token\nc\nt\nversion\ne\n")
    assert version.encode() not in reply
    assert not reply.startswith(b"!yv"), reply


def test_py4j_without_or_with_a_wrong_token_is_refused(bridge):
    bridge.facade()
    for token in (None, "wrong-token-wrong-token-wrong-token"):
        gateway = JavaGateway(gateway_parameters=GatewayParameters(address="127.0.0.1", port=bridge.port,
                                                                   auth_token=token),
                              callback_server_parameters=None)
        try:
            with pytest.raises(Py4JError):
                gateway.entry_point.version()
        finally:
            gateway.close()
    assert bridge.facade().version()  # the refusals did not disturb the real connection


def _listening_addresses(port: int) -> set:
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, local_port = local.split(":")
            if int(local_port, 16) == port and state == "0A":
                addresses.add(address)
    return addresses


def test_the_port_is_bound_to_loopback_only(bridge):
    bridge.facade()
    # 127.0.0.1 in /proc/net/tcp's little-endian hex, or as ::ffff:127.0.0.1 in tcp6; never 0.0.0.0 or ::
    loopback = {"0100007F", "0000000000000000FFFF00000100007F"}
    addresses = _listening_addresses(bridge.port)
    assert addresses and addresses <= loopback, addresses


def test_the_token_is_not_in_the_jvm_command_line_or_environment(bridge):
    bridge.facade()
    token = bridge._gateway.gateway_parameters.auth_token
    assert token and len(token) >= 32
    for name in ("cmdline", "environ"):
        assert token.encode() not in Path(f"/proc/{bridge.pid}/{name}").read_bytes()


def test_a_dead_jvm_is_restarted_with_a_message(bridge):
    bridge.facade()
    first_pid = bridge.pid
    os.kill(first_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while bridge.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert bridge.facade().version()
    assert bridge.pid != first_pid
    assert bridge.starts == 2
    assert any("exited" in m and "restarting" in m for m in bridge.messages), bridge.messages


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_the_jvm_exits_when_its_python_parent_is_killed():
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT / 'python-shim')!r})
        from per4m.bridge import Bridge
        b = Bridge()
        b.facade().version()
        print(b.pid, b._log_path.parent, flush=True)
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    log_dir = ""
    try:
        pid_text, log_dir = parent.stdout.readline().split(maxsplit=1)
        jvm_pid = int(pid_text)
        assert _alive(jvm_pid)
        parent.kill()
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _alive(jvm_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(jvm_pid), "the JVM outlived its parent"
    finally:
        parent.kill()
        parent.wait()
        if log_dir.strip():
            shutil.rmtree(log_dir.strip(), ignore_errors=True)


def test_shutdown_stops_the_jvm(bridge):
    bridge.facade()
    pid = bridge.pid
    bridge.shutdown()
    assert not bridge.running()
    assert not _alive(pid)


def _jvm_threads(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError(f"no thread count for {pid}")


def test_3000_idle_connections_get_no_thread_each_and_the_token_still_works(bridge):
    import resource

    assert bridge.facade().version()
    jvm = bridge._proc.pid
    before = _jvm_threads(jvm)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    idle = []
    try:
        for _ in range(3000):
            try:
                idle.append(socket.create_connection(("127.0.0.1", bridge.port), timeout=5))
            except OSError:
                break  # the backlog is full: the engine sheds connections, it does not hold them
        time.sleep(1)
        during = _jvm_threads(jvm)
        print(f"JVM threads: {before} before, {during} with {len(idle)} idle connections open")
        assert during < before + 40, (before, during, len(idle))
        # a correct token still gets in while they are open
        assert bridge.facade().version()
    finally:
        for sock in idle:
            sock.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    gateway = JavaGateway(gateway_parameters=GatewayParameters(
        address="127.0.0.1", port=bridge.port, auth_token=bridge._gateway.gateway_parameters.auth_token),
        callback_server_parameters=None)
    try:
        assert gateway.entry_point.version() == bridge.facade().version()
    finally:
        gateway.close()


def test_an_idle_connection_is_closed_after_the_authentication_deadline(bridge):
    bridge.facade()
    with socket.create_connection(("127.0.0.1", bridge.port), timeout=30) as sock:
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the engine, nothing sent
        waited = time.monotonic() - started
    assert 1.0 < waited < 20, waited


def test_a_huge_auth_line_is_refused_and_the_token_still_works_afterwards(bridge):
    version = bridge.facade().version()
    jvm = bridge._proc.pid
    with socket.create_connection(("127.0.0.1", bridge.port), timeout=30) as sock:
        reply = b""
        try:
            sock.sendall(b"A\n")
            chunk = b"x" * (1 << 20)
            for _ in range(131):
                sock.sendall(chunk)
            sock.sendall(b"\nc\nt\nversion\ne\n")
            reply = sock.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the line ended
    assert not reply.startswith(b"!yv"), reply
    assert version.encode() not in reply
    assert "OutOfMemoryError" not in bridge.log_tail(50)
    assert _alive(jvm)
    token = bridge._gateway.gateway_parameters.auth_token
    assert _raw_exchange(bridge.port, f"A\n{token}\nc\nt\nversion\ne\n".encode()).endswith(f"!ys{version}\n".encode())


def test_only_the_facades_documented_methods_are_reachable(bridge):
    facade = bridge.facade()
    assert facade.version()
    token = bridge._gateway.gateway_parameters.auth_token
    gateway = JavaGateway(gateway_parameters=GatewayParameters(address="127.0.0.1", port=bridge.port,
                                                               auth_token=token),
                          callback_server_parameters=None)
    try:
        for attempt in (lambda: gateway.entry_point.getClass(),
                        lambda: gateway.entry_point.shutdown(),
                        lambda: gateway.entry_point.doctorJson("/bin/true"),
                        lambda: gateway.jvm.java.lang.Runtime.getRuntime(),
                        lambda: gateway.jvm.java.io.File("/tmp")):
            with pytest.raises(Py4JError):
                attempt()
    finally:
        gateway.close()
    # raw: reflection and field commands are unknown to the engine; the facade still answers afterwards
    for command in (b"r\nu\njava\nrj\ne\n", b"f\nt\nshutDown\ne\n", b"s\ne\n"):
        reply = _raw_exchange(bridge.port, f"A\n{token}\n".encode() + command)
        assert reply.startswith(b"!yv\n") and b"Unknown command received" in reply, reply
    assert facade.version() and bridge._proc.poll() is None


def test_an_exception_tells_its_class_name_and_message_but_its_class_leads_nowhere(bridge):
    from py4j.protocol import Py4JJavaError

    facade = bridge.facade()
    with pytest.raises(Py4JJavaError) as raised:
        facade.finishCell(None)
    java = raised.value.java_exception
    assert java.getClass().getName().startswith("java.lang.") or "per4m" in java.getClass().getName()
    assert java.getMessage() is None or isinstance(java.getMessage(), str)
    for attempt in (lambda: java.getClass().forName("java.lang.Runtime"),
                    lambda: java.getClass().getClassLoader(),
                    lambda: java.getStackTrace()):
        with pytest.raises(Py4JError):
            attempt()
