# Sourced by the benchmarks: sets up the original per4m 0.1.0 (PyPI sdist) in a cached venv and sets
#   ORIGINAL_PYTHON  its interpreter (with viztracer and tabulate)
#   ORIGINAL_SRC     the unpacked sdist, to put on PYTHONPATH (its perf2trace runs without the C++ extension)
# Needs CACHE and PYTHON set by the caller.
ORIGINAL_SRC=$CACHE/per4m-0.1.0
ORIGINAL_PYTHON=$CACHE/venv/bin/python
if [[ ! -f $CACHE/.ready-v2 ]]; then
    mkdir -p "$CACHE"
    [[ -x $ORIGINAL_PYTHON ]] || "$PYTHON" -m venv "$CACHE/venv"
    # setuptools: the package's __init__ imports pkg_resources; tabulate: perf2trace's summary table;
    # viztracer: the original pipeline's `viztracer --combine` step. The sdist is unpacked, not built.
    "$CACHE/venv/bin/pip" -q install "setuptools<81" tabulate viztracer
    "$CACHE/venv/bin/pip" -q download --no-deps --no-binary :all: per4m==0.1.0 -d "$CACHE/sdist"
    tar -xzf "$CACHE"/sdist/per4m-0.1.0.tar.gz -C "$CACHE"
    touch "$CACHE/.ready-v2"
fi
