package io.per4m.report;

import io.per4m.html.ScriptSafeWriter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes {@link ReportData} as the compact JSON the page reads: per row, start times as deltas from the
 * previous start, durations and kind indexes as plain integer arrays (ns), and where a cut timeline ends and the
 * files it belongs with. Safe to place in a script block.
 */
final class DataJsonWriter {
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    void write(TimelineCut cut, PageFiles files, Writer target) throws IOException {
        ReportData data = cut.data();
        Writer safe = new ScriptSafeWriter(target);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(safe)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeNumberField("v", FORMAT_VERSION);
            g.writeStringField("title", data.title());
            g.writeNumberField("origin_us", data.originUs());
            g.writeNumberField("span_ns", data.spanNs());
            g.writeBooleanField("summary_from_trace", data.summaryFromTrace());
            if (!cut.whole()) {
                g.writeObjectFieldStart("cut");
                g.writeNumberField("shown", cut.shown());
                g.writeNumberField("total", cut.total());
                g.writeNumberField("until_ns", cut.untilNs());
                g.writeEndObject();
            }
            g.writeObjectFieldStart("files");
            g.writeStringField("trace", files.trace());
            g.writeStringField("report", files.report());
            g.writeStringField("stem", files.stem());
            g.writeEndObject();
            g.writeArrayFieldStart("states");
            for (String s : ReportData.STATE_LABELS) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("strings");
            for (String s : data.strings()) {
                g.writeString(s);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("threads");
            for (ThreadLanes t : data.threads()) {
                writeThread(g, t);
            }
            g.writeEndArray();
            g.writeFieldName("summary");
            MAPPER.writeTree(g, data.summary());
            g.writeEndObject();
        }
        safe.flush();
    }

    private static void writeThread(JsonGenerator g, ThreadLanes t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("pid", t.pid());
        g.writeNumberField("tid", t.tid());
        g.writeStringField("name", t.name());
        g.writeBooleanField("main", t.main());
        g.writeFieldName("gil");
        writeRow(g, t.gil());
        g.writeFieldName("state");
        writeRow(g, t.state());
        g.writeArrayFieldStart("calls");
        for (Row row : t.calls()) {
            writeRow(g, row);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("counters");
        for (CounterTrack c : t.counters()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeFieldName("t");
            writeDeltas(g, c.time());
            g.writeArrayFieldStart("v");
            for (double v : c.value()) {
                g.writeNumber(v);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeRow(JsonGenerator g, Row row) throws IOException {
        g.writeStartObject();
        g.writeFieldName("t");
        writeDeltas(g, row.start());
        g.writeFieldName("d");
        g.writeArray(row.duration(), 0, row.size());
        g.writeFieldName("k");
        g.writeArray(row.kind(), 0, row.size());
        g.writeEndObject();
    }

    private static void writeDeltas(JsonGenerator g, long[] times) throws IOException {
        g.writeStartArray();
        long previous = 0;
        for (long t : times) {
            g.writeNumber(t - previous);
            previous = t;
        }
        g.writeEndArray();
    }
}
