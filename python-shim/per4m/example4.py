"""per4m 0.1's example4: a sort whose key function sleeps 10 ms per item, then the sorted values."""
import time

values = [("foo", 3), ("bar", 42), ("bazz", 2)]


def key_function(item):
    time.sleep(0.01)
    name, index = item
    return index


def do_sort():
    values.sort(key=key_function)


def do_print():
    print(values)


def main(args=None):
    do_sort()
    do_print()


if __name__ == "__main__":
    main()
