package io.per4m.probes;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a Python interpreter says about itself when run once.
 *
 * @param requested      what the user gave (a name looked up on PATH, or a path; may be a pyenv shim or a venv link)
 * @param executable     the real ELF file that ran: /proc/self/exe of the interpreter process (symlinks resolved)
 * @param sysExecutable  sys.executable as Python reports it (a venv path stays a venv path)
 * @param version        e.g. "3.11.7"
 * @param implementation e.g. "cpython"
 * @param enableShared   sysconfig Py_ENABLE_SHARED (true when the build says it has a shared libpython)
 * @param ldLibrary      sysconfig LDLIBRARY, e.g. "libpython3.11.so"
 * @param instSoname     sysconfig INSTSONAME, e.g. "libpython3.11.so.1.0"
 * @param libDir         sysconfig LIBDIR
 * @param gilDisabled    sysconfig Py_GIL_DISABLED: true for free-threaded builds (3.13t, 3.14t)
 * @param mappedLibpython the libpython file mapped into the interpreter process (from /proc/self/maps), if any
 */
public record PythonInfo(String requested, Path executable, String sysExecutable, String version, String implementation,
                         boolean enableShared, String ldLibrary, String instSoname, String libDir, boolean gilDisabled,
                         Optional<Path> mappedLibpython, List<Path> mappedFiles) {
}
