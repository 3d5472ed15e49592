"""per4m: the Python GIL, exposed. `%load_ext per4m` adds the %%giltracer cell magic."""

__version__ = "0.2.0"

_MAGICS = "per4m_magics"


def load_ipython_extension(ipython):
    """Adds %%giltracer; loading again (the per4m kernel preloads it, a notebook says `%load_ext per4m`) does
    nothing and says nothing."""
    if getattr(ipython, _MAGICS, None) is not None:
        return
    from .magic import GilTracerMagics

    magics = GilTracerMagics(ipython)
    ipython.register_magics(magics)
    setattr(ipython, _MAGICS, magics)


def unload_ipython_extension(ipython):
    magics = getattr(ipython, _MAGICS, None)
    if magics is None:
        return
    magics.bridge.shutdown()
    for kind in ("line", "cell"):
        ipython.magics_manager.magics[kind].pop("giltracer", None)
    delattr(ipython, _MAGICS)
