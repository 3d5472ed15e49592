package io.per4m.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming parser of {@code perf script} text output.
 * <p>
 * One pass over bytes in a reusable buffer; only the current event (and its call chain) is held, so memory does
 * not grow with the input. Lines it cannot read are counted and skipped (the first {@value #KEPT_BAD_LINES} are
 * kept for the error report); lines starting with '#' (perf's header comments) are ignored. Input that is not
 * text (a NUL byte, or a perf.data file given by mistake) sets {@link ParseReport#binary()} and stops the pass.
 */
public final class PerfScriptParser {
    static final int KEPT_BAD_LINES = 5;
    private static final int KEPT_BAD_LINE_CHARS = 200;
    /** Far above perf's own limit (kernel.perf_event_max_stack, 127 by default); bounds memory on odd input. */
    static final int MAX_FRAMES = 4096;
    private static final int CACHED_PAYLOAD_BYTES = 64;
    private static final byte[] PERF_DATA_MAGIC = "PERFILE2".getBytes(StandardCharsets.US_ASCII);

    /** Reads the whole stream in one pass, delivering each event to {@code sink}, then calls {@code sink.end()}. */
    public ParseReport parse(InputStream in, PerfEventSink sink) throws IOException {
        return new Pass(new LineReader(in), sink).run();
    }

    /** The state of one parse: the current event waiting for its call-chain lines, counters, caches. */
    private static final class Pass {
        private final LineReader reader;
        private final PerfEventSink sink;
        private final HeaderLine header = new HeaderLine();
        private final FrameLine frameLine = new FrameLine();
        private final ByteStrings comms = new ByteStrings(256);
        private final ByteStrings names = new ByteStrings(64);
        private final ByteStrings payloads = new ByteStrings(1024);
        private final List<ParseReport.BadLine> firstBadLines = new ArrayList<>(KEPT_BAD_LINES);
        private final List<StackFrame> frames = new ArrayList<>();

        private long lines;
        private long events;
        private long badLines;
        private boolean binary;
        /** Header fields of the event whose call-chain lines may still follow; null when none. */
        private PerfEvent pending;
        /** The last header line was bad: its call-chain lines are skipped with it, not counted again. */
        private boolean skippingBadRecord;

        Pass(LineReader reader, PerfEventSink sink) {
            this.reader = reader;
            this.sink = sink;
        }

        ParseReport run() throws IOException {
            if (looksLikePerfData()) {
                binary = true;
            } else {
                while (reader.next()) {
                    lines++;
                    if (reader.sawNul()) {
                        binary = true;
                        break;
                    }
                    line(reader.buffer(), reader.start(), reader.end());
                }
                flush();
            }
            sink.end();
            return new ParseReport(lines, reader.bytesRead(), events, badLines, List.copyOf(firstBadLines), binary);
        }

        private boolean looksLikePerfData() throws IOException {
            if (reader.peek(PERF_DATA_MAGIC.length) < PERF_DATA_MAGIC.length) {
                return false;
            }
            byte[] b = reader.buffer();
            int at = reader.peekStart();
            for (int i = 0; i < PERF_DATA_MAGIC.length; i++) {
                if (b[at + i] != PERF_DATA_MAGIC[i]) {
                    return false;
                }
            }
            return true;
        }

        private void line(byte[] b, int from, int to) {
            if (reader.overlong()) {
                flush();
                bad(b, from, to);
                return;
            }
            if (from == to) {
                flush();
                skippingBadRecord = false;
                return;
            }
            byte first = b[from];
            if (first == '\t' && !isBlank(b, from, to)) {
                frame(b, from, to);
            } else if (first == '#') {
                flush();
            } else if (isBlank(b, from, to)) {
                flush();
                skippingBadRecord = false;
            } else {
                flush();
                if (header.parse(b, from, to)) {
                    skippingBadRecord = false;
                    pending = new PerfEvent(comms.get(b, header.commStart, header.commEnd), header.pid, header.tid,
                            header.cpu, header.timeNs, names.get(b, header.nameStart, header.nameEnd), header.period,
                            payload(b, header.payloadStart, header.payloadEnd), List.of(), lines);
                } else {
                    bad(b, from, to);
                    skippingBadRecord = true;
                }
            }
        }

        /** Short payloads (uprobe addresses) repeat a lot; long ones (sched_switch) are mostly unique. */
        private String payload(byte[] b, int from, int to) {
            return to - from <= CACHED_PAYLOAD_BYTES ? payloads.get(b, from, to) : ByteStrings.decode(b, from, to);
        }

        private void frame(byte[] b, int from, int to) {
            if (pending == null) {
                if (!skippingBadRecord) {
                    bad(b, from, to);
                }
                return;
            }
            StackFrame frame = frameLine.parse(b, from, to);
            if (frame == null) {
                bad(b, from, to);
            } else if (frames.size() < MAX_FRAMES) {
                frames.add(frame);
            }
        }

        private void flush() {
            PerfEvent event = pending;
            if (event == null) {
                return;
            }
            pending = null;
            if (!frames.isEmpty()) {
                event = new PerfEvent(event.comm(), event.pid(), event.tid(), event.cpu(), event.timeNs(),
                        event.name(), event.period(), event.payload(), List.copyOf(frames), event.lineNumber());
                frames.clear();
            }
            events++;
            sink.accept(event);
        }

        private void bad(byte[] b, int from, int to) {
            badLines++;
            if (firstBadLines.size() < KEPT_BAD_LINES) {
                String text = ByteStrings.decode(b, from, Math.min(to, from + KEPT_BAD_LINE_CHARS));
                firstBadLines.add(new ParseReport.BadLine(lines, text));
            }
        }

        private static boolean isBlank(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (!HeaderLine.isSpace(b[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
