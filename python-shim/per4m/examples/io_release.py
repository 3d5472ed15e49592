"""I/O with many short GIL releases: small file reads, socket round trips and time.sleep(0)."""
import os
import socket
import tempfile
import threading
import time


def read_files(path, rounds):
    for _ in range(rounds):
        with open(path, "rb") as f:
            while f.read(512):
                pass


def ping_pong(rounds):
    a, b = socket.socketpair()
    with a, b:
        for _ in range(rounds):
            a.sendall(b"ping")
            b.recv(16)
            b.sendall(b"pong")
            a.recv(16)


def yielder(rounds):
    for _ in range(rounds):
        time.sleep(0)


def main(rounds=1500):
    fd, path = tempfile.mkstemp(prefix="per4m-io-")
    try:
        os.write(fd, os.urandom(16 * 1024))
        os.close(fd)
        threads = [
            threading.Thread(target=read_files, args=(path, rounds // 10), name="file reader"),
            threading.Thread(target=ping_pong, args=(rounds * 2,), name="socket ping-pong"),
            threading.Thread(target=yielder, args=(rounds * 4,), name="sleep(0) yielder"),
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f"io_release: {len(threads)} I/O threads in {time.perf_counter() - start:.2f} s")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
