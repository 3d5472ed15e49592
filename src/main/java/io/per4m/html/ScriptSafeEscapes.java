package io.per4m.html;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/** Jackson's standard JSON escaping plus {@link ScriptSafe}'s rule: thread names come from the traced program. */
public final class ScriptSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    public ScriptSafeEscapes() {
        ascii = standardAsciiEscapesForJSON();
        for (int c = 0; c < ascii.length; c++) {
            if (ScriptSafe.escapeOf(c) != null) {
                ascii[c] = ESCAPE_CUSTOM;
            }
        }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        String escape = ScriptSafe.escapeOf(ch);
        return escape == null ? null : new SerializedString(escape);
    }
}
