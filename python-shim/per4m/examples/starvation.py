"""A main thread in a long pure-Python loop starves workers that only briefly need the GIL.

Each worker wakes every millisecond to do a tiny bit of Python; while main spins it has to wait up to the
switch interval (5 ms) for the GIL each time, so its wake-ups are late and few.
"""
import threading
import time


def worker(stop, lateness):
    while not stop.is_set():
        due = time.perf_counter() + 0.001
        time.sleep(0.001)
        lateness.append(time.perf_counter() - due)


def main(seconds=0.5):
    stop = threading.Event()
    late = [[], []]
    workers = [threading.Thread(target=worker, args=(stop, late[i]), name=f"ticker {i}") for i in range(2)]
    for w in workers:
        w.start()
    end = time.perf_counter() + seconds
    total = 0
    while time.perf_counter() < end:  # the hog: pure Python, never blocks
        for i in range(1000):
            total += i
    stop.set()
    for w in workers:
        w.join()
    ticks = sum(len(x) for x in late)
    worst = max((max(x) for x in late if x), default=0.0)
    print(f"starvation: {ticks} ticks in {seconds:.1f} s (1 ms each would give {int(2 * seconds * 1000)}), "
          f"worst lateness {worst * 1000:.1f} ms")


if __name__ == "__main__":
    main()
