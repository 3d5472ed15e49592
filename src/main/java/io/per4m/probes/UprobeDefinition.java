package io.per4m.probes;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One line of tracefs uprobe_events (or of {@code perf probe -D}): {@code p:GROUP/EVENT FILE:0xOFFSET}.
 *
 * @param returnProbe true for "r:" (function return), false for "p:" (entry)
 * @param offset      file offset of the probed instruction
 */
public record UprobeDefinition(boolean returnProbe, String group, String event, Path file, long offset) {
    /** Parses one line; empty for lines that are no uprobe definition (blank lines, comments, perf chatter). */
    public static Optional<UprobeDefinition> parse(String line) {
        String s = line.strip();
        if (s.length() < 4 || (s.charAt(0) != 'p' && s.charAt(0) != 'r') || s.charAt(1) != ':') {
            return Optional.empty();
        }
        int space = s.indexOf(' ');
        int slash = s.indexOf('/');
        if (space < 0 || slash < 0 || slash > space) {
            return Optional.empty();
        }
        String location = s.substring(space + 1).strip();
        int argsAt = location.indexOf(' ');
        if (argsAt >= 0) {
            location = location.substring(0, argsAt);
        }
        int colon = location.lastIndexOf(":0x");
        if (colon < 0) {
            return Optional.empty();
        }
        String hex = location.substring(colon + 3);
        int paren = hex.indexOf('(');           // ref_ctr_offset, e.g. 0x1234(0x5678)
        if (paren >= 0) {
            hex = hex.substring(0, paren);
        }
        try {
            return Optional.of(new UprobeDefinition(s.charAt(0) == 'r', s.substring(2, slash), s.substring(slash + 1, space),
                    Path.of(location.substring(0, colon)), Long.parseUnsignedLong(hex, 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "GROUP:EVENT", as perf record -e takes it. */
    public String eventName() {
        return group + ":" + event;
    }

    /** The line that creates this probe when appended to uprobe_events. */
    public String line() {
        return (returnProbe ? "r:" : "p:") + group + "/" + event + " " + file + ":0x" + Long.toHexString(offset);
    }

    public UprobeDefinition withEvent(String newEvent) {
        return new UprobeDefinition(returnProbe, group, newEvent, file, offset);
    }
}
