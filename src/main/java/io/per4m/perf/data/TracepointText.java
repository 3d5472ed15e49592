package io.per4m.perf.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tracepoint's raw data as the text {@code perf script} prints after the event name, so that both routes into
 * the analysis (perf script text, and perf.data read directly) give it the same payload. Print formats whose
 * arguments are plain fields ({@code "(%lx <- %lx)", REC->__probe_func, REC->__probe_ret_ip} of a uprobe return,
 * {@code "comm=%s pid=%d prio=%d target_cpu=%03d", ...} of sched_wakeup) are applied as printf; sched_switch's,
 * whose arguments are expressions, is written out; anything else becomes {@code field=value} pairs.
 */
final class TracepointText {
    private static final Pattern CONVERSION = Pattern.compile("%([-0 #+]*)(\\d*)(?:\\.\\d+)?(hh|h|ll|l|z)?([diouxXsc%])");
    private static final Pattern FIELD_ARGUMENT = Pattern.compile("REC->(\\w+)");

    private final TracepointFormat format;
    /** Literal text and conversions alternating, when the print format can be applied; else null. */
    private final List<Piece> printf;
    private final boolean schedSwitch;
    private final long preemptedBit;

    /** @param javaSpec the C conversion as java.util.Formatter takes it (no length modifier; i and u as d) */
    private record Piece(String literal, String spec, String javaSpec, TracepointFormat.Field field) {
    }

    TracepointText(TracepointFormat format) {
        this.format = format;
        this.schedSwitch = "sched_switch".equals(format.name()) && format.field("prev_state") != null
                && format.field("next_pid") != null && !format.printFlags().isEmpty();
        this.printf = schedSwitch ? null : pieces(format);
        long highest = 0;
        for (TracepointFormat.Flag flag : format.printFlags()) {
            highest = Math.max(highest, flag.mask());
        }
        // the kernel marks a preempted task with the bit above its state letters (TASK_REPORT_MAX): "R+"
        this.preemptedBit = highest << 1;
    }

    /** The payload of one event whose raw data starts at {@code at} in {@code b}. */
    String render(ByteBuffer b, int at, int size) {
        StringBuilder out = new StringBuilder(64);
        if (schedSwitch) {
            schedSwitch(b, at, size, out);
        } else if (printf != null) {
            for (Piece piece : printf) {
                out.append(piece.literal());
                if (piece.field() != null) {
                    conversion(b, at, size, piece, out);
                }
            }
        } else {
            for (TracepointFormat.Field f : format.fields()) {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(f.name()).append('=');
                value(b, at, size, f, out);
            }
        }
        return out.toString();
    }

    /** The print format split into pieces, or null when an argument is more than a field or a spec unknown. */
    private static List<Piece> pieces(TracepointFormat format) {
        String line = format.printFormat();
        if (!line.startsWith("\"")) {
            return null;
        }
        int close = line.indexOf('"', 1);
        while (close > 0 && line.charAt(close - 1) == '\\') {
            close = line.indexOf('"', close + 1);
        }
        if (close < 0) {
            return null;
        }
        String text = line.substring(1, close).replace("\\n", "").replace("\\t", "\t").replace("\\\"", "\"");
        String[] arguments = line.substring(close + 1).strip().replaceFirst("^,", "").split(",");
        List<Piece> pieces = new ArrayList<>();
        Matcher m = CONVERSION.matcher(text);
        int from = 0;
        int argument = 0;
        while (m.find()) {
            String literal = text.substring(from, m.start());
            from = m.end();
            if (m.group(4).equals("%")) {
                pieces.add(new Piece(literal + "%", null, null, null));
                continue;
            }
            if (argument >= arguments.length) {
                return null;
            }
            Matcher field = FIELD_ARGUMENT.matcher(arguments[argument++].strip());
            TracepointFormat.Field f = field.matches() ? format.field(field.group(1)) : null;
            if (f == null) {
                return null;
            }
            pieces.add(new Piece(literal, m.group(),
                    m.group().replaceAll("hh|h|ll|l|z", "").replace('i', 'd').replace('u', 'd'), f));
        }
        pieces.add(new Piece(text.substring(from), null, null, null));
        return List.copyOf(pieces);
    }

    private static void conversion(ByteBuffer b, int at, int size, Piece piece, StringBuilder out) {
        String spec = piece.spec();
        char kind = spec.charAt(spec.length() - 1);
        if (kind == 's' || piece.field().text()) {
            value(b, at, size, piece.field(), out);
            return;
        }
        long v = integer(b, at, size, piece.field());
        String javaSpec = piece.javaSpec();
        if (javaSpec.equals("%x")) {
            out.append(Long.toHexString(v));
        } else if (kind == 'x' || kind == 'X' || kind == 'o') {
            // unsigned in C: Java formats a negative long in two's complement for x and o, as C does
            out.append(String.format(Locale.ROOT, javaSpec, v));
        } else if (kind == 'u' && v < 0) {
            out.append(Long.toUnsignedString(v));
        } else {
            out.append(javaSpec.equals("%d") ? Long.toString(v) : String.format(Locale.ROOT, javaSpec, v));
        }
    }

    private void schedSwitch(ByteBuffer b, int at, int size, StringBuilder out) {
        out.append("prev_comm=");
        value(b, at, size, format.field("prev_comm"), out);
        out.append(" prev_pid=").append(number(b, at, size, "prev_pid"));
        out.append(" prev_prio=").append(number(b, at, size, "prev_prio"));
        out.append(" prev_state=");
        long state = number(b, at, size, "prev_state");
        long letters = state & (preemptedBit - 1);
        if (letters == 0) {
            out.append('R');
        } else {
            boolean first = true;
            for (TracepointFormat.Flag flag : format.printFlags()) {
                if ((letters & flag.mask()) == flag.mask()) {
                    out.append(first ? "" : "|").append(flag.letters());
                    first = false;
                }
            }
        }
        if ((state & preemptedBit) != 0) {
            out.append('+');
        }
        out.append(" ==> next_comm=");
        value(b, at, size, format.field("next_comm"), out);
        out.append(" next_pid=").append(number(b, at, size, "next_pid"));
        out.append(" next_prio=").append(number(b, at, size, "next_prio"));
    }

    private long number(ByteBuffer b, int at, int size, String fieldName) {
        TracepointFormat.Field f = format.field(fieldName);
        return f == null ? 0 : integer(b, at, size, f);
    }

    private static void value(ByteBuffer b, int at, int size, TracepointFormat.Field f, StringBuilder out) {
        if (f.text()) {
            int end = Math.min(f.offset() + f.size(), size);
            int n = f.offset();
            while (n < end && b.get(at + n) != 0) {
                n++;
            }
            byte[] bytes = new byte[Math.max(0, n - f.offset())];
            b.get(at + f.offset(), bytes);
            out.append(new String(bytes, StandardCharsets.UTF_8));
        } else {
            out.append(integer(b, at, size, f));
        }
    }

    private static long integer(ByteBuffer b, int at, int size, TracepointFormat.Field f) {
        if (f.offset() + f.size() > size) {
            return 0;
        }
        int i = at + f.offset();
        return switch (f.size()) {
            case 1 -> f.signed() ? b.get(i) : b.get(i) & 0xffL;
            case 2 -> f.signed() ? b.getShort(i) : b.getShort(i) & 0xffffL;
            case 4 -> f.signed() ? b.getInt(i) : b.getInt(i) & 0xffffffffL;
            case 8 -> b.getLong(i);
            default -> 0;
        };
    }
}
