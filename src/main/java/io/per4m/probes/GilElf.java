package io.per4m.probes;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The ELF file whose code takes and drops the GIL for one interpreter, and what it offers a uprobe.
 *
 * @param file          the executable itself (static libpython) or the libpython it loads, symlinks resolved
 * @param how           how it was found, e.g. "libpython3.11.so.1.0 from DT_NEEDED via RUNPATH, mapped by the interpreter"
 * @param symbolsIn     the file that has take_gil and drop_gil: {@code file} itself or its detached debug file; empty if none has
 * @param symbolTable   ".symtab", ".dynsym" or "" when not found
 * @param debugInfo     true when DWARF is there too (perf can then place probes on inlined copies and %return)
 * @param missing       of take_gil and drop_gil, those found nowhere
 * @param variants      renamed copies like take_gil.lto_priv.0 (perf cannot probe them by the plain name)
 * @param buildId       the GNU build-id of {@code file}, if any
 * @param notes         findings worth telling (e.g. sysconfig and the loader disagree)
 */
public record GilElf(Path file, String how, Optional<Path> symbolsIn, String symbolTable, boolean debugInfo,
                     List<String> missing, List<String> variants, Optional<String> buildId, List<String> notes) {
    public boolean hasSymbols() {
        return missing.isEmpty();
    }
}
