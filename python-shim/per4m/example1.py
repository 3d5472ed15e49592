"""per4m 0.1's example1 (step 1 of its manual pipeline): example2's program traced by viztracer itself into
example1.json, to be recorded with ``perf record ... -- python -m per4m.example1``.

Under giltracer, whose viztracer already traces it, it writes no example1.json of its own.
"""
import viztracer

from per4m.example2 import main as contend

OUTPUT = "example1.json"


def main(args=None):
    if viztracer.get_tracer() is not None:
        contend()
        return
    with viztracer.VizTracer(output_file=OUTPUT, verbose=0):
        contend()


if __name__ == "__main__":
    main()
