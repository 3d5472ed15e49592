package io.per4m.probes;

import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One x86-64 instruction as objdump prints it (AT&amp;T syntax, {@code --no-show-raw-insn}).
 *
 * @param address  its virtual address
 * @param mnemonic e.g. "movl", "call", "jmp" (prefixes such as {@code data16} or {@code notrack} left out)
 * @param operands the operands as printed, without objdump's trailing comment
 * @param target   a direct branch's target, or the absolute address of a RIP-relative operand (objdump's comment)
 * @param name     what objdump names the target, e.g. "pthread_cond_signal@plt"; "" when none
 */
public record Instruction(long address, String mnemonic, String operands, OptionalLong target, String name) {
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\s+(.*)$");
    private static final Pattern DIRECT = Pattern.compile("^([0-9a-f]+)(?: <([^>]*)>)?$");
    private static final Pattern COMMENT = Pattern.compile("#\\s*([0-9a-f]+)(?: <([^>]*)>)?\\s*$");
    private static final Set<String> PREFIXES = Set.of("data16", "rex", "rex.W", "rex.B", "rex.R", "rex.X", "rex.WB",
            "rex.WR", "rex.WX", "lock", "rep", "repz", "repe", "repnz", "repne", "notrack", "bnd", "cs", "ds", "es", "fs",
            "gs", "ss", "addr32");

    /** Parses one line of {@code objdump -d} output; null for lines that are no instruction (headers, blank lines). */
    public static Instruction parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return null;
        }
        String text = m.group(2).strip();
        OptionalLong target = OptionalLong.empty();
        String name = "";
        Matcher c = COMMENT.matcher(text);
        if (c.find()) {
            target = OptionalLong.of(Long.parseUnsignedLong(c.group(1), 16));
            name = c.group(2) == null ? "" : c.group(2);
            text = text.substring(0, c.start()).strip();
        }
        String[] words = text.split("\\s+", -1);
        int i = 0;
        while (i < words.length - 1 && PREFIXES.contains(words[i])) {
            i++;
        }
        if (words.length == 0 || words[i].isEmpty() || words[i].startsWith("(")) {
            return null;
        }
        String mnemonic = words[i];
        String operands = String.join(" ", java.util.Arrays.copyOfRange(words, i + 1, words.length));
        if (mnemonic.startsWith("j") || mnemonic.startsWith("call")) {
            Matcher d = DIRECT.matcher(operands);
            if (d.matches()) {
                target = OptionalLong.of(Long.parseUnsignedLong(d.group(1), 16));
                name = d.group(2) == null ? "" : d.group(2);
            }
        }
        return new Instruction(Long.parseUnsignedLong(m.group(1), 16), mnemonic, operands, target, name);
    }

    public boolean isCall() {
        return mnemonic.startsWith("call");
    }

    /** A call or jump to a fixed address (not through a register or memory). */
    public boolean isDirectBranch() {
        return (isCall() || mnemonic.startsWith("j")) && target.isPresent() && !operands.startsWith("*");
    }

    public boolean isUnconditionalJump() {
        return mnemonic.equals("jmp") || mnemonic.equals("jmpq");
    }

    /** Filler between functions: nop, the two-byte nop {@code xchg %ax,%ax}, int3. */
    public boolean isPadding() {
        return mnemonic.startsWith("nop") || mnemonic.equals("int3") || (mnemonic.equals("xchg") && operands.equals("%ax,%ax"));
    }

    public boolean isReturn() {
        return mnemonic.startsWith("ret");
    }

    /** The memory operand of {@code movl $VALUE,MEM}, or null when this is no such store. */
    public String storeOf(int value) {
        String prefix = "$0x" + Integer.toHexString(value) + ",";
        if (!mnemonic.equals("movl") || !operands.startsWith(prefix) || !operands.endsWith(")")) {
            return null;
        }
        return operands.substring(prefix.length());
    }

    /** True when the operand is RIP-relative: {@link #target} is then the absolute address it names. */
    public boolean ripRelative() {
        return operands.endsWith("(%rip)") && target.isPresent();
    }
}
