package io.per4m.probes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The x86-64 decoder: binutils' {@code objdump} (a Debian package, installed with perf's tools), read line by
 * line. No decoder library for x86-64 is on Maven Central here, and writing one is what this avoids.
 */
public final class Objdump {
    /** How far a function without a size (a local one) is read at most. */
    private static final long MAX_FUNCTION = 8192;

    private final String objdump;

    public Objdump(String objdumpCommand) {
        this.objdump = objdumpCommand;
    }

    /**
     * The instructions of the function starting at {@code start}: {@code size} bytes when known, else up to the
     * return or jump after which no branch seen so far goes on (code moved out of line, lower down, is left out).
     */
    public List<Instruction> function(Path file, long start, long size) throws IOException {
        long end = start + (size > 0 ? size : MAX_FUNCTION);
        List<Instruction> all = new ArrayList<>();
        scan(file, start, end, all::add);
        if (size > 0) {
            return all;
        }
        List<Instruction> out = new ArrayList<>();
        long reach = start;
        for (Instruction in : all) {
            if (in.address() >= reach && in.address() > start && in.isPadding()) {
                break;
            }
            out.add(in);
            if (in.isDirectBranch() && !in.isCall() && in.target().getAsLong() > reach && in.target().getAsLong() < end) {
                reach = in.target().getAsLong();
            }
            if ((in.isReturn() || in.isUnconditionalJump() || in.mnemonic().equals("ud2")) && in.address() >= reach) {
                break;
            }
        }
        return out;
    }

    /** An instruction found, and the address of the one after it. */
    public record Hit(Instruction instruction, long next) {
    }

    /**
     * Every instruction of the file's executable sections that {@code wanted} accepts (streamed: objdump prints tens
     * of megabytes for an interpreter).
     */
    public List<Hit> find(Path file, Predicate<Instruction> wanted) throws IOException {
        List<Hit> out = new ArrayList<>();
        List<Instruction> pending = new ArrayList<>(1);
        scan(file, -1, -1, in -> {
            if (!pending.isEmpty()) {
                out.add(new Hit(pending.remove(0), in.address()));
            }
            if (wanted.test(in)) {
                pending.add(in);
            }
        });
        return out;
    }

    private void scan(Path file, long start, long end, Consumer<Instruction> sink) throws IOException {
        List<String> command = new ArrayList<>(List.of(objdump, "-d", "-w", "--no-show-raw-insn"));
        if (start >= 0) {
            command.add("--start-address=0x" + Long.toHexString(start));
            command.add("--stop-address=0x" + Long.toHexString(end));
        }
        command.add(file.toString());
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + objdump + " (binutils), which decodes the interpreter's code: " + e.getMessage(), e);
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                Instruction in = Instruction.parse(line);
                if (in != null) {
                    sink.accept(in);
                }
            }
        }
        int exit;
        try {
            exit = p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit = -1;
        }
        if (exit != 0) {
            p.destroyForcibly();
            throw new IOException(objdump + " could not decode " + file + (exit < 0 ? " in time" : " (exit code " + exit + ")"));
        }
    }
}
