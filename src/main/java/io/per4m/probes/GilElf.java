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
 * @param located       without symbols: take_gil and the GIL's release points found from the exported PyEval_* functions
 * @param notLocated    without symbols and not located: why
 */
public record GilElf(Path file, String how, Optional<Path> symbolsIn, String symbolTable, boolean debugInfo,
                     List<String> missing, List<String> variants, Optional<String> buildId, List<String> notes,
                     Optional<StrippedGilLocator.Located> located, String notLocated) {
    public boolean hasSymbols() {
        return missing.isEmpty();
    }

    /** Probes can be placed: by symbol, or where the locator found the code. */
    public boolean probeable() {
        return hasSymbols() || located.isPresent();
    }

    /** "symbols" or "located from PyEval_* without symbols", for doctor and the summary. */
    public String probeMethod() {
        return hasSymbols() ? "symbols" : located.map(l -> "located from PyEval_* without symbols").orElse("none");
    }
}
