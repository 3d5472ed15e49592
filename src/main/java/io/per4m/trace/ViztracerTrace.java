package io.per4m.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.per4m.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A viztracer JSON trace, read as a stream (it can be hundreds of MB): one pass notes its threads and shows its events
 * to the report, and tells where they lie in the file, so that the merged trace gets them byte for byte and memory
 * stays flat.
 */
public final class ViztracerTrace {
    /** Top-level keys the merged trace writes itself. */
    private static final Set<String> OWN_KEYS = Set.of("traceEvents", "displayTimeUnit", "viztracer_metadata", "per4m");

    private final Path path;
    // viztracer writes every timestamp as a fractional µs number: the fast parser halves their cost
    private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    public ViztracerTrace(Path path) {
        this.path = path;
    }

    /**
     * What one pass over the trace found: where the traceEvents array's elements lie in the file (to be copied as
     * they are), and the other top-level keys.
     *
     * @param path       the trace
     * @param eventsFrom offset of the first byte after the array's {@code [}
     * @param eventsTo   offset of its {@code ]}
     * @param events     how many elements the array has
     * @param metadata   viztracer_metadata, or null
     * @param otherKeys  top-level keys other than those the merged trace writes itself (e.g. file_info)
     */
    public record Contents(Path path, long eventsFrom, long eventsTo, long events, ObjectNode metadata,
                           ObjectNode otherKeys) {
        /** Copies the events into {@code writer}'s events array, byte for byte. */
        public void copyEventsInto(TraceEventWriter writer) throws IOException {
            if (events > 0) {
                writer.rawEvents(path, eventsFrom, eventsTo);
            }
        }

        /** Writes the other top-level keys into {@code out}, positioned inside the top-level object. */
        public void copyOtherKeysInto(JsonGenerator out) throws IOException {
            for (Iterator<Map.Entry<String, JsonNode>> it = otherKeys.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> key = it.next();
                out.writeFieldName(key.getKey());
                out.writeTree(key.getValue());
            }
        }
    }

    /**
     * Reads the trace in one streaming pass, noting threads and their names in {@code threads} and showing each event
     * to {@code listener} (may be null); nothing is copied.
     */
    public Contents read(ViztracerThreads threads, TraceEventListener listener) throws IOException {
        TraceEventFields fields = new TraceEventFields();
        ObjectMapper mapper = new ObjectMapper(json);
        ObjectNode metadata = null;
        ObjectNode otherKeys = mapper.createObjectNode();
        long from = -1;
        long to = -1;
        long events = 0;
        try (InputStream in = open(); JsonParser p = json.createParser(in)) {
            expectObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if ("traceEvents".equals(key) && value == JsonToken.START_ARRAY) {
                    from = p.currentTokenLocation().getByteOffset() + 1;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        events++;
                        if (p.currentToken() != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        fields.read(p);
                        note(fields, threads);
                        if (listener != null && fields.ph != null) {
                            listener.event(fields);
                        }
                    }
                    to = p.currentTokenLocation().getByteOffset();
                } else if ("viztracer_metadata".equals(key) && value == JsonToken.START_OBJECT) {
                    metadata = mapper.readTree(p);
                } else if (OWN_KEYS.contains(key)) {
                    p.skipChildren();
                } else {
                    otherKeys.set(key, mapper.readTree(p));
                }
            }
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
        if (from < 0) {
            throw new UserError(path + " is not a viztracer trace (it has no traceEvents array)");
        }
        return new Contents(path, from, to, events, metadata, otherKeys);
    }

    /** The file itself (for copying the events' bytes). */
    public Path path() {
        return path;
    }

    private static void note(TraceEventFields e, ViztracerThreads threads) {
        if (e.pid < 0 || e.tid < 0) {
            return;
        }
        threads.thread(e.pid, e.tid);
        if ("M".equals(e.ph) && e.argName != null) {
            if ("thread_name".equals(e.name)) {
                threads.threadName(e.tid, e.argName);
            } else if ("process_name".equals(e.name)) {
                threads.processName(e.pid, e.argName);
            }
        }
    }

    private InputStream open() throws IOException {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new UserError("viztracer trace " + path + " does not exist");
        }
    }

    private void expectObject(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new UserError(path + " is not a viztracer trace (not a JSON object)");
        }
    }

    private UserError unreadable(JsonProcessingException e) {
        // a broken stream constraint (nesting too deep, a number too long) comes without a location
        return new UserError(path + " is not valid JSON (" + (e.getLocation() == null
                ? e.getOriginalMessage().lines().findFirst().orElse("")
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr())
                + "): give the JSON viztracer wrote");
    }

}
