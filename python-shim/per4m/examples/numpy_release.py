"""NumPy workers release the GIL inside large array operations while the main thread computes in Python."""
import threading
import time

import numpy as np


def crunch(seed, rounds, size=900):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((size, size))
    for _ in range(rounds):
        a = np.tanh(a @ a.T / size)  # BLAS matmul and ufuncs run without the GIL; long calls, few returns


def python_work(n):
    total = 0.0
    for i in range(n):
        total += (i % 7) * 0.5
    return total


def main(workers=2, rounds=12, n=4_000_000):
    threads = [threading.Thread(target=crunch, args=(i, rounds), name=f"numpy {i}") for i in range(workers)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    python_work(n)
    for t in threads:
        t.join()
    print(f"numpy_release: {workers} numpy workers + python main in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
