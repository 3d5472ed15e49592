package io.per4m.trace;

import io.per4m.html.ScriptSafeEscapes;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.per4m.files.OutputFile;
import io.per4m.gil.BlameEntry;
import io.per4m.gil.GilSummary;
import io.per4m.gil.LatencyFigures;
import io.per4m.gil.ProcessGilFigures;
import io.per4m.gil.ThreadGilFigures;
import io.per4m.probes.StrippedGilLocator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The summary JSON: the file of {@code --summary-json} and the {@code per4m} key of the trace. */
public final class SummaryJson {
    /** The blame's holder name for waiting time in which no thread held the GIL. */
    static final String HANDOVER_HOLDER = "hand-over";

    private SummaryJson() {
    }

    public static void write(Path path, GilSummary summary, InputFigures input) throws IOException {
        Document.of(summary, input).writeTo(path);
    }

    /**
     * The summary file's bytes, rendered once per conversion and handed on: written to NAME.summary.json, given
     * to the report and to the notebook as they are, never read back from the file.
     */
    public record Document(byte[] bytes) {
        private static final ObjectMapper TREE = new ObjectMapper();

        public static Document of(GilSummary summary, InputFigures input) throws IOException {
            return of(summary, input, "");
        }

        /** @param probeMethod how the GIL probes were placed ("symbols", "located:..."); "" leaves gil_probes out */
        public static Document of(GilSummary summary, InputFigures input, String probeMethod) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
            try (JsonGenerator gen = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                gen.setCharacterEscapes(new ScriptSafeEscapes());
                gen.useDefaultPrettyPrinter();
                write(gen, summary, input, probeMethod);
                gen.writeRaw('\n');
            }
            return new Document(out.toByteArray());
        }

        /** Writes the file (or standard output for "-"); it appears only once complete. */
        public void writeTo(Path path) throws IOException {
            try (OutputFile.Writing output = OutputFile.of(path).open()) {
                output.stream().write(bytes);
                output.commit();
            }
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public JsonNode tree() throws IOException {
            return TREE.readTree(bytes);
        }
    }

    /** Writes the summary as one JSON object value at the generator's current position. */
    public static void write(JsonGenerator gen, GilSummary summary, InputFigures input) throws IOException {
        write(gen, summary, input, "");
    }

    private static void write(JsonGenerator gen, GilSummary summary, InputFigures input, String probeMethod) throws IOException {
        gen.writeStartObject();
        if (!probeMethod.isEmpty()) {
            gilProbes(gen, probeMethod);
        }
        gen.writeArrayFieldStart("threads");
        for (ThreadGilFigures t : SummaryOrder.threads(summary)) {
            gen.writeStartObject();
            gen.writeNumberField("pid", t.pid());
            gen.writeNumberField("tid", t.tid());
            gen.writeStringField("name", t.name());
            gen.writeBooleanField("main", t.mainThread());
            micros(gen, "total_us", t.totalNs());
            micros(gen, "held_us", t.heldNs());
            micros(gen, "wait_us", t.waitNs());
            micros(gen, "handover_us", t.handoverNs());
            micros(gen, "no_gil_us", t.noGilNs());
            percent(gen, "held_pct", t.heldFraction());
            percent(gen, "wait_pct", t.waitFraction());
            percent(gen, "handover_pct", t.handoverFraction());
            percent(gen, "no_gil_pct", t.noGilFraction());
            gen.writeNumberField("wait_count", t.waitCount());
            gen.writeNumberField("hold_count", t.holdCount());
            gen.writeNumberField("handover_count", t.handoverCount());
            gen.writeEndObject();
        }
        gen.writeEndArray();

        gen.writeFieldName("process");
        process(gen, summary.process());
        // each process has a GIL of its own: multiprocessing children get their figures here
        gen.writeArrayFieldStart("processes");
        for (ProcessGilFigures p : summary.processes()) {
            process(gen, p);
        }
        gen.writeEndArray();

        gen.writeArrayFieldStart("blame");
        for (BlameEntry b : summary.blame()) {
            gen.writeStartObject();
            gen.writeNumberField("waiter_tid", b.waiterTid());
            gen.writeStringField("waiter_name", SummaryOrder.nameOf(summary, b.waiterTid()));
            if (b.duringHandover()) {
                // nobody held the GIL: it was released and the next holder was not running with it yet
                gen.writeNullField("holder_tid");
                gen.writeStringField("holder_name", HANDOVER_HOLDER);
            } else {
                gen.writeNumberField("holder_tid", b.holderTid());
                gen.writeStringField("holder_name", SummaryOrder.nameOf(summary, b.holderTid()));
            }
            micros(gen, "us", b.ns());
            gen.writeEndObject();
        }
        gen.writeEndArray();

        LatencyFigures h = summary.handoff();
        gen.writeObjectFieldStart("handoff");
        gen.writeNumberField("count", h.count());
        micros(gen, "p50_us", h.p50Ns());
        micros(gen, "p90_us", h.p90Ns());
        micros(gen, "p99_us", h.p99Ns());
        micros(gen, "max_us", h.maxNs());
        gen.writeEndObject();

        gen.writeObjectFieldStart("anomalies");
        for (Map.Entry<String, Long> anomaly : summary.anomalies().entrySet()) {
            gen.writeNumberField(anomaly.getKey(), anomaly.getValue());
        }
        gen.writeEndObject();

        gen.writeObjectFieldStart("input");
        gen.writeNumberField("lines", input.lines());
        gen.writeNumberField("bad_lines", input.badLines());
        gen.writeNumberField("events", input.events());
        gen.writeNumberField("lost_events", input.lostEvents());
        gen.writeEndObject();
        gen.writeEndObject();
    }

    /**
     * How the probes were placed and what that makes exact. A release store inlined into other code ends a hold
     * exactly, but its "return" is a probe on the next instruction: the hand-over after it (waiting for the next
     * holder) is not seen, and what shows between the two probes is their own cost, so hand-over is not measured.
     */
    private static void gilProbes(JsonGenerator gen, String method) throws IOException {
        boolean inlined = StrippedGilLocator.handoverNotMeasured(method);
        gen.writeObjectFieldStart("gil_probes");
        gen.writeStringField("method", method);
        gen.writeArrayFieldStart("exact");
        for (String f : inlined ? List.of("wait", "held", "blame", "handoff") : List.of("wait", "held", "handover", "blame", "handoff")) {
            gen.writeString(f);
        }
        gen.writeEndArray();
        gen.writeArrayFieldStart("not_measured");
        if (inlined) {
            gen.writeString("handover");
        }
        gen.writeEndArray();
        if (inlined) {
            gen.writeStringField("note", HANDOVER_NOT_MEASURED);
        }
        gen.writeEndObject();
    }

    /** What the summary and the table say when drop_gil is inlined and found without symbols. */
    public static final String HANDOVER_NOT_MEASURED = "drop_gil is inlined here (located without symbols): where it releases"
            + " the GIL inline, the wait for the next holder that follows is not seen, so hand-over is not measured"
            + " (what shows is the probes' own cost); wait, held, blame and hand-offs are exact";

    private static void process(JsonGenerator gen, ProcessGilFigures p) throws IOException {
        gen.writeStartObject();
        if (p.pid() >= 0) {
            gen.writeNumberField("pid", p.pid());
        }
        micros(gen, "span_us", p.spanNs());
        micros(gen, "held_by_any_us", p.heldByAnyNs());
        micros(gen, "someone_waits_us", p.someoneWaitsNs());
        percent(gen, "held_pct", p.heldFraction());
        percent(gen, "wait_pct", p.waitFraction());
        gen.writeNumberField("gil_events", p.gilEvents());
        gen.writeEndObject();
    }

    private static void micros(JsonGenerator gen, String field, long ns) throws IOException {
        gen.writeFieldName(field);
        gen.writeNumber(Micros.toString(ns));
    }

    private static void percent(JsonGenerator gen, String field, double fraction) throws IOException {
        gen.writeFieldName(field);
        gen.writeNumber(Micros.percent(fraction));
    }
}
