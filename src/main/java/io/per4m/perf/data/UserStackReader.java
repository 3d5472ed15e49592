package io.per4m.perf.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw user stacks of a recording's software-clock samples ({@code cpu-clock/call-graph=dwarf/}): for each
 * sample, the 8-byte words of the stack copy that a {@link WordFilter} keeps, from the innermost (the stack pointer) out.
 * perf's own unwinder stops at the first frame without unwind tables, such as CPython's perf trampolines; the words
 * are what lets a caller find every trampoline's return address instead.
 */
public final class UserStackReader {
    private static final int RECORD_SAMPLE = 9;

    /** One sample: its thread, its time (ns), and the accepted words of its stack, innermost first. */
    public record UserStack(int pid, int tid, long timeNs, long[] words) {
    }

    /** Which stack words to keep, e.g. those inside a process's trampolines. */
    @FunctionalInterface
    public interface WordFilter {
        boolean keep(int pid, long word);
    }

    /** What to do with each sample. */
    @FunctionalInterface
    public interface Sink {
        void accept(UserStack stack);
    }

    private UserStackReader() {
    }

    /** Reads one perf.data file; samples come in file order (per ring buffer), not sorted by time. */
    public static void read(Path file, WordFilter wanted, Sink sink) throws IOException {
        try (PerfDataFile data = PerfDataFile.open(file)) {
            Map<Long, EventAttr> byId = new HashMap<>();
            List<EventAttr> events = data.events();
            for (EventAttr event : events) {
                for (long id : event.ids()) {
                    byId.put(id, event);
                }
            }
            EventAttr only = events.size() == 1 ? events.get(0) : null;
            long size = data.dataSize();
            long position = 0;
            while (position + 8 <= size) {
                PerfDataFile.Record record = data.recordAt(position);
                if (record == null) {
                    break; // a torn end: what came before is kept
                }
                if (record.type() == RECORD_SAMPLE) {
                    ByteBuffer b = record.buffer();
                    EventAttr event = only != null ? only : byId.get(b.getLong(record.at() + 8));
                    if (event != null && event.type() == EventAttr.TYPE_SOFTWARE
                            && event.has(EventAttr.SAMPLE_STACK_USER) && !event.has(EventAttr.SAMPLE_READ)) {
                        UserStack stack = stack(b, record.at(), record.at() + record.size(), event, wanted);
                        if (stack != null) {
                            sink.accept(stack);
                        }
                    }
                }
                position += record.size();
            }
        } catch (PerfDataException e) {
            throw new PerfDataException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** Sample fields in PERF_SAMPLE_* bit order, up to the user stack. */
    private static UserStack stack(ByteBuffer b, int at, int end, EventAttr event, WordFilter wanted) {
        SampleFields fields = SampleFields.read(b, at, event);
        int i = fields.next();
        if (event.has(EventAttr.SAMPLE_RAW)) {
            i += 4 + b.getInt(i);
        }
        if (event.has(EventAttr.SAMPLE_BRANCH_STACK)) {
            i += 8 + 24 * (int) b.getLong(i);
        }
        if (event.has(EventAttr.SAMPLE_REGS_USER)) {
            long abi = b.getLong(i);
            i += 8 + (abi == 0 ? 0 : 8 * Long.bitCount(event.sampleRegsUser()));
        }
        if (i + 8 > end) {
            return null;
        }
        long copied = b.getLong(i);
        i += 8;
        if (copied <= 0 || i + copied + 8 > end) {
            return null; // no stack (a kernel thread, or perf could not copy it)
        }
        long valid = Math.min(copied, b.getLong(i + (int) copied));
        long[] words = new long[(int) (valid / 8)];
        int kept = 0;
        for (int w = 0; w < words.length; w++) {
            long word = b.getLong(i + 8 * w);
            if (wanted.keep(fields.pid(), word)) {
                words[kept++] = word;
            }
        }
        return new UserStack(fields.pid(), fields.tid(), fields.timeNs(), Arrays.copyOf(words, kept));
    }
}
