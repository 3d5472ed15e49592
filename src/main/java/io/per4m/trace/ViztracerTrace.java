package io.per4m.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.per4m.cli.UserError;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * A viztracer JSON trace, read as a stream (it can be hundreds of MB): its events are copied into our trace token by
 * token, numbers as their original text, so they pass through unchanged and memory stays flat.
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
     * Copies every element of the traceEvents array into {@code out} (positioned inside an array), noting threads and
     * their names in {@code threads}.
     */
    public void copyEvents(JsonGenerator out, ViztracerThreads threads) throws IOException {
        copyEvents(out, threads, null);
    }

    /** As {@link #copyEvents(JsonGenerator, ViztracerThreads)}, also showing each event to {@code listener}. */
    public void copyEvents(JsonGenerator out, ViztracerThreads threads, TraceEventListener listener) throws IOException {
        TraceEventFields fields = listener == null ? null : new TraceEventFields();
        try (InputStream in = open(); JsonParser p = json.createParser(in)) {
            expectObject(p);
            boolean found = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if ("traceEvents".equals(key) && value == JsonToken.START_ARRAY) {
                    found = true;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        copyEvent(p, out, threads, fields);
                        if (listener != null && fields.ph != null) {
                            listener.event(fields);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!found) {
                throw new UserError(path + " is not a viztracer trace (it has no traceEvents array)");
            }
        } catch (JsonParseException e) {
            throw unreadable(e);
        }
    }

    /**
     * Copies viztracer's top-level keys other than those the merged trace writes itself (e.g. file_info) into
     * {@code out} (positioned inside the top-level object) and returns viztracer_metadata, or null.
     */
    public ObjectNode copyTopLevelKeys(JsonGenerator out) throws IOException {
        ObjectNode metadata = null;
        try (InputStream in = open(); JsonParser p = json.createParser(in)) {
            expectObject(p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if ("viztracer_metadata".equals(key) && value == JsonToken.START_OBJECT) {
                    metadata = new ObjectMapper().readTree(p);
                } else if (OWN_KEYS.contains(key)) {
                    p.skipChildren();
                } else {
                    out.writeFieldName(key);
                    copyValue(p, out);
                }
            }
        } catch (JsonParseException e) {
            throw unreadable(e);
        }
        return metadata;
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

    private UserError unreadable(JsonParseException e) {
        return new UserError(path + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr() + ")");
    }

    /**
     * Copies one event, noting its pid/tid and, for M events, the process or thread name; fills {@code fields}
     * (when given) with what a trace reader needs.
     */
    private static void copyEvent(JsonParser p, JsonGenerator out, ViztracerThreads threads, TraceEventFields fields)
            throws IOException {
        if (fields != null) {
            fields.clear();
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            copyValue(p, out);
            return;
        }
        String ph = null;
        String name = null;
        String argName = null;
        long pid = -1;
        long tid = -1;
        out.writeStartObject();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            out.writeFieldName(field);
            JsonToken value = p.nextToken();
            switch (field) {
                case "ph" -> ph = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "name" -> name = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "pid" -> pid = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                case "tid" -> tid = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
                default -> {
                }
            }
            if (fields != null) {
                note(p, field, value, fields);
            }
            if ("args".equals(field) && value == JsonToken.START_OBJECT) {
                out.writeStartObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String arg = p.currentName();
                    out.writeFieldName(arg);
                    JsonToken argValue = p.nextToken();
                    if ("name".equals(arg) && argValue == JsonToken.VALUE_STRING) {
                        argName = p.getText();
                    }
                    if (fields != null && (argValue == JsonToken.VALUE_NUMBER_INT
                            || argValue == JsonToken.VALUE_NUMBER_FLOAT)) {
                        fields.argKeys.add(arg);
                        fields.argValues.add(p.getDoubleValue());
                    }
                    copyValue(p, out);
                }
                out.writeEndObject();
            } else {
                copyValue(p, out);
            }
        }
        out.writeEndObject();
        if (fields != null) {
            fields.ph = ph;
            fields.name = name;
            fields.argName = argName;
            fields.pid = (int) pid;
            fields.tid = (int) tid;
        }
        if (pid >= 0 && tid >= 0 && pid <= Integer.MAX_VALUE && tid <= Integer.MAX_VALUE) {
            threads.thread((int) pid, (int) tid);
            if ("M".equals(ph) && argName != null) {
                if ("thread_name".equals(name)) {
                    threads.threadName((int) tid, argName);
                } else if ("process_name".equals(name)) {
                    threads.processName((int) pid, argName);
                }
            }
        }
    }

    /** The fields a trace reader needs beyond those copyEvent notes itself. */
    private static void note(JsonParser p, String field, JsonToken value, TraceEventFields fields) throws IOException {
        boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        switch (field) {
            case "cat" -> fields.cat = value == JsonToken.VALUE_STRING ? p.getText() : null;
            case "id" -> fields.id = value.isScalarValue() ? p.getValueAsString() : null;
            case "ts" -> fields.tsNs = number ? TraceEventFields.nanos(p.getDoubleValue()) : 0;
            case "dur" -> fields.durNs = number ? TraceEventFields.nanos(p.getDoubleValue()) : 0;
            default -> {
            }
        }
    }

    /** Copies the value at the current token (scalar or whole structure), numbers as their original text. */
    private static void copyValue(JsonParser p, JsonGenerator out) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                out.writeStartObject();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    out.writeFieldName(p.currentName());
                    p.nextToken();
                    copyValue(p, out);
                }
                out.writeEndObject();
            }
            case START_ARRAY -> {
                out.writeStartArray();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    copyValue(p, out);
                }
                out.writeEndArray();
            }
            case VALUE_STRING -> out.writeString(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                    out.writeRawValue(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            case VALUE_TRUE -> out.writeBoolean(true);
            case VALUE_FALSE -> out.writeBoolean(false);
            case VALUE_NULL -> out.writeNull();
            default -> throw new JsonParseException(p, "unexpected " + token);
        }
    }
}
