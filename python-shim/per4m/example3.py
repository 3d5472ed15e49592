"""per4m 0.1's example3: NumPy sums in two threads release the GIL while the main thread keeps it busy with a
pure-Python loop: high GIL load, little waiting."""
import threading

import numpy as np

N = 1024 * 1024 * 32
M = 4
x = np.arange(N, dtype="f8")


def some_numpy_computation():
    total = 0
    for i in range(M):
        total += x.sum()
    return total


thread1 = threading.Thread(target=some_numpy_computation)
thread2 = threading.Thread(target=some_numpy_computation)


def main(args=None):
    thread1.start()
    thread2.start()
    total = 0
    for i in range(1_000_000):
        total += i
    for thread in [thread1, thread2]:
        thread.join()


if __name__ == "__main__":
    main()
