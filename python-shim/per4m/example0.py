"""per4m 0.1's example0: one thread that sleeps for a second (it holds no GIL while it sleeps)."""
import time
from threading import Thread


def sleep_a_bit(seconds=1.0):
    time.sleep(seconds)


def main(args=None):
    t = Thread(target=sleep_a_bit)
    t.start()
    t.join()


if __name__ == "__main__":
    main()
