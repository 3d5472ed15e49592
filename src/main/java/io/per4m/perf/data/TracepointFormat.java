package io.per4m.perf.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The layout of one tracepoint's raw data, from its tracefs {@code format} text as perf stores it in the
 * recording, e.g. {@code field:pid_t prev_pid;	offset:24;	size:4;	signed:1;}.
 *
 * @param system     the group (sched, or the uprobe group)
 * @param name       the event name within it
 * @param fields     the fields after the common ones, in order
 * @param printFlags  the {@code __print_flags} pairs of the print format (sched_switch's prev_state letters)
 * @param printFormat the whole {@code print fmt:} line after the colon, or "" when missing
 */
public record TracepointFormat(String system, String name, List<Field> fields, List<Flag> printFlags,
                               String printFormat) {
    /** One field; {@code text} is a char array (a name such as prev_comm). */
    public record Field(String name, int offset, int size, boolean signed, boolean text) {
    }

    public record Flag(long mask, String letters) {
    }

    public Field field(String fieldName) {
        for (Field f : fields) {
            if (f.name().equals(fieldName)) {
                return f;
            }
        }
        return null;
    }

    /** Parses one {@code format} file's text; the system is not in it, so the caller gives it. */
    static TracepointFormat parse(String system, String text) {
        String name = null;
        List<Field> fields = new ArrayList<>();
        List<Flag> flags = new ArrayList<>();
        String printFormat = "";
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("name:")) {
                name = trimmed.substring(5).strip();
            } else if (trimmed.startsWith("field:")) {
                Field field = parseField(trimmed);
                if (field != null && !field.name().startsWith("common_")) {
                    fields.add(field);
                }
            } else if (trimmed.startsWith("print fmt:")) {
                flags.addAll(printFlags(trimmed));
                printFormat = trimmed.substring("print fmt:".length()).strip();
            }
        }
        return new TracepointFormat(system, name, List.copyOf(fields), List.copyOf(flags), printFormat);
    }

    private static Field parseField(String line) {
        String[] parts = line.split(";");
        if (parts.length < 4) {
            return null;
        }
        String declaration = parts[0].substring("field:".length()).strip();
        boolean array = declaration.endsWith("]");
        String beforeBracket = array ? declaration.substring(0, declaration.lastIndexOf('[')) : declaration;
        int space = beforeBracket.lastIndexOf(' ');
        String fieldName = beforeBracket.substring(space + 1);
        String type = space < 0 ? "" : beforeBracket.substring(0, space);
        Integer offset = number(parts, "offset:");
        Integer size = number(parts, "size:");
        Integer signed = number(parts, "signed:");
        if (offset == null || size == null) {
            return null;
        }
        boolean text = array && type.endsWith("char");
        return new Field(fieldName, offset, size, signed != null && signed == 1, text);
    }

    private static Integer number(String[] parts, String key) {
        for (String part : parts) {
            String p = part.strip();
            if (p.startsWith(key)) {
                try {
                    return Integer.parseInt(p.substring(key.length()).strip());
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** The {@code { 0x00000001, "S" }} pairs of a print format. */
    private static List<Flag> printFlags(String printFormat) {
        List<Flag> flags = new ArrayList<>();
        int at = printFormat.indexOf("__print_flags(");
        while (at >= 0) {
            int open = printFormat.indexOf("{ 0x", at);
            int close = open < 0 ? -1 : printFormat.indexOf('}', open);
            if (open < 0 || close < 0) {
                break;
            }
            String pair = printFormat.substring(open + 1, close).strip();
            int comma = pair.indexOf(',');
            int q1 = pair.indexOf('"');
            int q2 = pair.lastIndexOf('"');
            if (comma > 0 && q1 > comma && q2 > q1) {
                try {
                    flags.add(new Flag(Long.decode(pair.substring(0, comma).strip()), pair.substring(q1 + 1, q2)));
                } catch (NumberFormatException ignored) {
                    // not a pair of the flag table
                }
            }
            at = close;
            if (printFormat.startsWith(")", skipSpaces(printFormat, close + 1))) {
                break;
            }
        }
        return flags;
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
