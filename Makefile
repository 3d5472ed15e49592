# The README's two commands: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv/bin

.PHONY: setup demo test test-java test-python test-report bench

setup:
	./scripts/bootstrap.sh

demo: setup
	$(VENV)/per4m install-kernel --user
	$(VENV)/giltracer -o giltracer -m per4m.examples.contention

test: setup
	./scripts/run-tests.sh

bench: setup
	./bench/run-all.sh
