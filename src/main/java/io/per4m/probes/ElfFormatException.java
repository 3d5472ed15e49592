package io.per4m.probes;

import java.io.IOException;

/** The file is not an ELF file this reader understands (a script, a 32-bit binary, a truncated file). */
public final class ElfFormatException extends IOException {
    public ElfFormatException(String message) {
        super(message);
    }
}
