package io.per4m.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The trace's {@code viztracer_metadata}: viztracer's own, or what viztracer would write, produced by per4m. */
final class ViztracerMetadata {
    /** Default viztracer version written when there is no viztracer trace to take it from. */
    static final String VIZTRACER_VERSION = "0.16.3";

    private ViztracerMetadata() {
    }

    static void write(JsonGenerator gen, ObjectNode viztracer) throws IOException {
        gen.writeObjectFieldStart("viztracer_metadata");
        gen.writeStringField("version", viztracer != null && viztracer.path("version").isTextual()
                ? viztracer.get("version").asText() : VIZTRACER_VERSION);
        gen.writeBooleanField("overflow", viztracer != null && viztracer.path("overflow").asBoolean(false));
        if (viztracer != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = viztracer.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!Set.of("version", "overflow", "producer").contains(field.getKey())) {
                    gen.writeFieldName(field.getKey());
                    gen.writeTree(field.getValue());
                }
            }
        }
        gen.writeStringField("producer", "per4m");
        gen.writeEndObject();
    }
}
