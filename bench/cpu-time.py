"""Runs a module as __main__ (python bench/cpu-time.py MODULE [ARGS]) and prints the CPU time, user + system, of
this process and its threads while the module ran: unlike wall time, it hardly moves with other load on the machine,
and what tracing adds to the program (viztracer's tracing, the probes' kernel work, the trampolines) is in it."""
import os
import runpy
import sys

module = sys.argv[1]
sys.argv = [module] + sys.argv[2:]
before = os.times()
try:
    runpy.run_module(module, run_name="__main__", alter_sys=True)
finally:
    after = os.times()
    print(f"cpu {after.user + after.system - before.user - before.system:.3f} s", flush=True)
