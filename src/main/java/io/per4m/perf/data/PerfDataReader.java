package io.per4m.perf.data;

import io.per4m.perf.ParseReport;
import io.per4m.perf.PerfEvent;
import io.per4m.perf.PerfEventSink;
import io.per4m.perf.PerfEventSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads perf.data files directly, without a {@code perf script} process: the samples become the same
 * {@link PerfEvent}s the text parser makes (comm, pid/tid, cpu, time, event name, counter period, tracepoint
 * payload), delivered in time order, with thread names followed through COMM and FORK records and the lost-event
 * count taken from LOST and LOST_SAMPLES records. The files of one recording (its windows) are read in order,
 * one after the other as perf closes them, thread names carrying over.
 *
 * <p>perf writes each ring buffer's records in turn, so the data section is not in time order; like perf's own
 * ordered-events queue, records are held until a FINISHED_ROUND record, then those up to the time reached by the
 * round before are delivered sorted.
 */
public final class PerfDataReader implements PerfEventSource {
    private static final int RECORD_LOST = 2;
    private static final int RECORD_COMM = 3;
    private static final int RECORD_FORK = 7;
    private static final int RECORD_SAMPLE = 9;
    private static final int RECORD_LOST_SAMPLES = 13;
    private static final int RECORD_FINISHED_ROUND = 68;
    private static final int KEPT_PROBLEMS = 5;

    private final WindowSource windows;
    private final Map<Integer, String> comms = new HashMap<>();
    private long lostRecords;
    private long lostSamples;

    public PerfDataReader(List<Path> files) {
        this(WindowSource.of(files));
    }

    /** Reads windows as they come: a live recording's are converted while it goes on. */
    public PerfDataReader(WindowSource windows) {
        this.windows = windows;
    }

    @Override
    public long lostEvents() {
        // perf 6.x writes both: LOST per dropped batch, and one LOST_SAMPLES per event from the kernel's count
        return Math.max(lostRecords, lostSamples);
    }

    @Override
    public ParseReport readInto(PerfEventSink sink) throws IOException {
        Totals totals = new Totals();
        try {
            for (Path file = windows.next(); file != null; file = windows.next()) {
                try (PerfDataFile data = PerfDataFile.open(file)) {
                    new Pass(data, sink, totals).run();
                } catch (PerfDataException e) {
                    throw new PerfDataException("cannot read " + file + ": " + e.getMessage());
                }
            }
        } finally {
            sink.end();
        }
        return new ParseReport(totals.records, totals.bytes, totals.events, totals.skipped,
                List.copyOf(totals.problems), false);
    }

    private static final class Totals {
        long records;
        long bytes;
        long events;
        long skipped;
        final List<ParseReport.BadLine> problems = new ArrayList<>();

        void skip(long record, String why) {
            skipped++;
            if (problems.size() < KEPT_PROBLEMS) {
                problems.add(new ParseReport.BadLine(record, why));
            }
        }
    }

    /** A record waiting for its turn: its time, where it is, and its number in the file. */
    private record Pending(long time, long position, long number) {
    }

    /** One file: its events by id, their payload renderers, and the records waiting to be delivered. */
    private final class Pass {
        private final PerfDataFile data;
        private final PerfEventSink sink;
        private final Totals totals;
        private final Map<Long, EventAttr> byId = new HashMap<>();
        private final Map<EventAttr, TracepointText> texts = new HashMap<>();
        private final EventAttr onlyEvent;
        /** Where a sample's id is, in 8-byte words after the header, and a trailer's, counted from its end; -1: none. */
        private final int sampleIdWord;
        private final int trailerIdWordFromEnd;
        private final List<Pending> pending = new ArrayList<>();
        private long flushLimit = Long.MIN_VALUE;
        private long maxTime = Long.MIN_VALUE;

        Pass(PerfDataFile data, PerfEventSink sink, Totals totals) {
            this.data = data;
            this.sink = sink;
            this.totals = totals;
            List<EventAttr> events = data.events();
            for (EventAttr event : events) {
                for (long id : event.ids()) {
                    byId.put(id, event);
                }
                if (event.tracepoint()) {
                    TracepointFormat format = data.format(event.name());
                    if (format != null) {
                        texts.put(event, new TracepointText(format));
                    }
                }
            }
            this.onlyEvent = events.size() == 1 ? events.get(0) : null;
            // perf gives every event IDENTIFIER when their layouts differ, else ID at the same place in all
            EventAttr first = events.isEmpty() ? null : events.get(0);
            this.sampleIdWord = first == null ? -1 : idWord(first);
            this.trailerIdWordFromEnd = first == null ? -1 : trailerIdWordFromEnd(first);
            if (sampleIdWord < 0 && onlyEvent == null) {
                throw new PerfDataException("its events carry no sample id (record with perf 4.x or newer)");
            }
        }

        private static int idWord(EventAttr e) {
            if (e.has(EventAttr.SAMPLE_IDENTIFIER)) {
                return 0;
            }
            if (!e.has(EventAttr.SAMPLE_ID)) {
                return -1;
            }
            int word = 0;
            for (long bit : new long[]{EventAttr.SAMPLE_IP, EventAttr.SAMPLE_TID, EventAttr.SAMPLE_TIME,
                    EventAttr.SAMPLE_ADDR}) {
                word += e.has(bit) ? 1 : 0;
            }
            return word;
        }

        private static int trailerIdWordFromEnd(EventAttr e) {
            if (e.has(EventAttr.SAMPLE_IDENTIFIER)) {
                return 1;
            }
            if (!e.has(EventAttr.SAMPLE_ID)) {
                return -1;
            }
            return 1 + (e.has(EventAttr.SAMPLE_STREAM_ID) ? 1 : 0) + (e.has(EventAttr.SAMPLE_CPU) ? 1 : 0);
        }

        void run() {
            long size = data.dataSize();
            long position = 0;
            long number = 0;
            while (position + 8 <= size) {
                PerfDataFile.Record record = data.recordAt(position);
                if (record == null) {
                    int badSize = Short.toUnsignedInt(data.segment(position)
                            .getShort(PerfDataFile.indexInSegment(position) + 6));
                    totals.skip(number + 1, "record " + (number + 1) + " has a bad size (" + badSize
                            + "): the rest of the file is unreadable");
                    break;
                }
                ByteBuffer b = record.buffer();
                int at = record.at();
                int type = record.type();
                int recordSize = record.size();
                number++;
                totals.records++;
                try {
                    switch (type) {
                        case RECORD_SAMPLE, RECORD_COMM, RECORD_FORK -> hold(b, at, recordSize, type, position, number);
                        case RECORD_LOST -> lostRecords += b.getLong(at + 16);
                        case RECORD_LOST_SAMPLES -> lostSamples += b.getLong(at + 8);
                        case RECORD_FINISHED_ROUND -> flush(flushLimit);
                        default -> {
                            // mmaps, cpu and thread maps, id index: nothing the analysis uses
                        }
                    }
                } catch (IndexOutOfBoundsException e) {
                    totals.skip(number, damaged(number));
                }
                position += recordSize;
            }
            totals.bytes += size;
            flush(Long.MAX_VALUE);
        }

        private void hold(ByteBuffer b, int at, int size, int type, long position, long number) {
            long time = type == RECORD_SAMPLE ? sampleTime(b, at, size) : trailerTime(b, at, size);
            if (time == Long.MIN_VALUE) {
                deliver(new Pending(time, position, number));
                return;
            }
            maxTime = Math.max(maxTime, time);
            pending.add(new Pending(time, position, number));
        }

        /** Delivers, sorted, the held records up to {@code limit}; the round's end becomes the next limit. */
        private void flush(long limit) {
            if (!pending.isEmpty()) {
                pending.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time)
                        : Long.compare(x.position, y.position));
                int delivered = 0;
                for (Pending p : pending) {
                    if (p.time > limit) {
                        break;
                    }
                    deliver(p);
                    delivered++;
                }
                pending.subList(0, delivered).clear();
            }
            flushLimit = maxTime;
        }

        private void deliver(Pending p) {
            try {
                deliverRecord(p);
            } catch (IndexOutOfBoundsException | IllegalArgumentException | NegativeArraySizeException e) {
                // a damaged field pointed outside the mapped data (the record's size itself was checked)
                totals.skip(p.number, damaged(p.number));
            }
        }

        private void deliverRecord(Pending p) {
            ByteBuffer b = data.segment(p.position);
            int at = PerfDataFile.indexInSegment(p.position);
            int type = b.getInt(at);
            int size = Short.toUnsignedInt(b.getShort(at + 6));
            switch (type) {
                case RECORD_SAMPLE -> sample(b, at, size, p.number);
                case RECORD_COMM -> {
                    int tid = b.getInt(at + 12);
                    comms.put(tid, cString(b, at + 16, at + size));
                }
                case RECORD_FORK -> {
                    int tid = b.getInt(at + 16);
                    int parentTid = b.getInt(at + 20);
                    String parentComm = comms.get(parentTid);
                    if (parentComm != null) {
                        comms.put(tid, parentComm);
                    }
                }
                default -> {
                }
            }
        }

        private EventAttr eventOf(ByteBuffer b, int at) {
            return sampleIdWord < 0 ? onlyEvent : byId.get(b.getLong(at + 8 + 8 * sampleIdWord));
        }

        private long sampleTime(ByteBuffer b, int at, int size) {
            EventAttr event = eventOf(b, at);
            if (event == null || !event.has(EventAttr.SAMPLE_TIME)) {
                return Long.MIN_VALUE;
            }
            int i = at + 8;
            i += event.has(EventAttr.SAMPLE_IDENTIFIER) ? 8 : 0;
            i += event.has(EventAttr.SAMPLE_IP) ? 8 : 0;
            i += event.has(EventAttr.SAMPLE_TID) ? 8 : 0;
            return i + 8 <= at + size ? b.getLong(i) : Long.MIN_VALUE;
        }

        /** The time in the sample_id trailer of a non-sample record (identifier last, then cpu, ... then time). */
        private long trailerTime(ByteBuffer b, int at, int size) {
            EventAttr event = trailerIdWordFromEnd < 0 ? onlyEvent
                    : byId.get(b.getLong(at + size - 8 * trailerIdWordFromEnd));
            if (event == null || !event.sampleIdAll() || !event.has(EventAttr.SAMPLE_TIME)) {
                return Long.MIN_VALUE;
            }
            int after = 0;
            for (long bit : new long[]{EventAttr.SAMPLE_ID, EventAttr.SAMPLE_STREAM_ID, EventAttr.SAMPLE_CPU,
                    EventAttr.SAMPLE_IDENTIFIER}) {
                after += event.has(bit) ? 8 : 0;
            }
            return b.getLong(at + size - after - 8);
        }

        /** Sample fields in PERF_SAMPLE_* bit order, as far as the raw data (nothing after it is needed). */
        private void sample(ByteBuffer b, int at, int size, long number) {
            EventAttr event = eventOf(b, at);
            if (event == null) {
                totals.skip(number, "record " + number + ": a sample of an event the header does not describe");
                return;
            }
            if (event.has(EventAttr.SAMPLE_READ)) {
                totals.skip(number, "record " + number + ": " + event.name() + " samples carry counter reads "
                        + "(perf record -s), which this reader does not take");
                return;
            }
            int end = at + size;
            SampleFields fields = SampleFields.read(b, at, event);
            int i = fields.next();
            if (i < 0) {
                totals.skip(number, "record " + number + ": a " + event.name() + " sample with a damaged call chain");
                return;
            }
            String payload = "";
            if (event.has(EventAttr.SAMPLE_RAW) && i + 4 <= end) {
                int rawSize = b.getInt(i);
                TracepointText text = texts.get(event);
                if (text != null && rawSize >= 0 && i + 4 + rawSize <= end) {
                    payload = text.render(b, i + 4, rawSize);
                }
            }
            if (i > end) {
                totals.skip(number, "record " + number + ": a " + event.name() + " sample shorter than its fields");
                return;
            }
            String comm = comms.get(fields.tid());
            // perf script prints no period for tracepoints; a counter sample's period is its count
            sink.accept(new PerfEvent(comm != null ? comm : ":" + fields.tid(), fields.pid(), fields.tid(),
                    fields.cpu(), fields.timeNs(), event.name(), event.tracepoint() ? 0 : fields.period(), payload,
                    List.of(), number));
            totals.events++;
        }
    }

    private static String damaged(long number) {
        return "record " + number + " is damaged: one of its fields points outside it";
    }

    private static String cString(ByteBuffer b, int from, int limit) {
        int n = from;
        while (n < limit && b.get(n) != 0) {
            n++;
        }
        byte[] bytes = new byte[n - from];
        b.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
