package io.per4m.perf;

import java.util.List;

/**
 * One sample or tracepoint as printed by {@code perf script}.
 *
 * @param comm       thread name (may contain spaces), never null
 * @param pid        process id, or -1 when perf script printed only the tid
 * @param tid        thread id
 * @param cpu        cpu number, or -1 when not printed
 * @param timeNs     timestamp in nanoseconds on perf's clock (full precision)
 * @param name       event name as perf prints it, e.g. {@code python:take_gil__return}, {@code cycles:u}
 * @param period     sample period for counter samples, 0 when none was printed
 * @param payload    the rest of the line after the event name (tracepoint key=value pairs, uprobe addresses), trimmed
 * @param callchain  frames of the call-chain block that followed the line, innermost first; empty when none
 * @param lineNumber 1-based line number of the event's header line in the input
 */
public record PerfEvent(String comm, int pid, int tid, int cpu, long timeNs, String name, long period,
                        String payload, List<StackFrame> callchain, long lineNumber) {
}
