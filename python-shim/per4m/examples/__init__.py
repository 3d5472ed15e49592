"""Small programs that show typical GIL behaviour; run one with ``python -m per4m.examples.<name>``.

contention      pure-Python threads competing for the GIL
numpy_release   NumPy work in worker threads that releases the GIL while main computes in Python
io_release      I/O with many short GIL releases (small file reads, socket round trips, sleep(0))
starvation      a main thread in a long pure-Python loop starving workers that want the GIL
"""

NAMES = ("contention", "numpy_release", "io_release", "starvation")
