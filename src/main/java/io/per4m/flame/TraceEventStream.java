package io.per4m.flame;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.nio.file.Path;

/** The objects of a trace file's traceEvents array, streamed one at a time. */
final class TraceEventStream {
    private TraceEventStream() {
    }

    /** Reads one event; called with the parser at the event's START_OBJECT, it reads on to its END_OBJECT. */
    interface EventReader {
        void read(JsonParser parser) throws IOException;
    }

    static void each(Path trace, String kind, EventReader reader) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(trace.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(trace + " is not a " + kind + " (no JSON object)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if ("traceEvents".equals(field) && parser.currentToken() == JsonToken.START_ARRAY) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        reader.read(parser);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }
}
