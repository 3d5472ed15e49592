"""Pure-Python threads competing for the GIL: together they take about as long as one after the other."""
import sys
import threading
import time


def count(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def main(threads=3, n=3_000_000):
    workers = [threading.Thread(target=count, args=(n,), name=f"counter {i}") for i in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print(f"contention: {threads} threads x {n} iterations in {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
