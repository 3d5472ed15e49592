"""per4m 0.1's example2: two pure-Python threads contending for the GIL while the main thread sleeps."""
import threading
import time


def some_computation(n=1_000_000):
    total = 0
    for i in range(n):
        total += i
    return total


def main(args=None):
    threads = [threading.Thread(target=some_computation) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    for thread in threads:
        thread.join()


if __name__ == "__main__":
    main()
