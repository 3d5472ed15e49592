"""The per4m kernel's `--ext=per4m.preload`: loads per4m under a name of its own, so that a notebook's own
`%load_ext per4m` (needed in any other kernel) still reaches per4m, which finds itself loaded and stays silent,
instead of IPython printing "The per4m extension is already loaded"."""
from . import load_ipython_extension, unload_ipython_extension

__all__ = ["load_ipython_extension", "unload_ipython_extension"]
