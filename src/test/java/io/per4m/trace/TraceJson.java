package io.per4m.trace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading traces back in tests: numbers as BigDecimal so timestamps compare exactly. */
final class TraceJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private TraceJson() {
    }

    static JsonNode read(Path path) throws IOException {
        return MAPPER.readTree(path.toFile());
    }

    static JsonNode read(byte[] json) throws IOException {
        return MAPPER.readTree(json);
    }

    /** Compares numerically: the tree drops trailing zeros. */
    static void assertDecimal(String expected, JsonNode actual) {
        assertTrue(actual.isNumber(), "a number: " + actual);
        assertEquals(0, new BigDecimal(expected).compareTo(actual.decimalValue()), expected + " vs " + actual);
    }

    static List<JsonNode> events(JsonNode trace) {
        List<JsonNode> events = new ArrayList<>();
        trace.get("traceEvents").forEach(events::add);
        return events;
    }

    static List<JsonNode> events(JsonNode trace, String ph) {
        return events(trace).stream().filter(e -> ph.equals(e.path("ph").asText())).toList();
    }

    /** Every b has exactly one later e with the same cat, id and name, per thread never overlapping. */
    static void assertBalancedAsyncPairs(JsonNode trace) {
        Map<String, JsonNode> open = new HashMap<>();
        for (JsonNode e : events(trace)) {
            String ph = e.path("ph").asText();
            if (!ph.equals("b") && !ph.equals("e")) {
                continue;
            }
            assertTrue(e.get("pid").isInt() && e.get("tid").isInt(), "integer pid/tid: " + e);
            String key = e.get("cat").asText() + "|" + e.get("id").asText() + "|" + e.get("name").asText();
            if (ph.equals("b")) {
                assertTrue(open.put(key, e) == null, "b while the same slice is open: " + e);
            } else {
                JsonNode begin = open.remove(key);
                assertTrue(begin != null, "e without b: " + e);
                assertTrue(begin.get("ts").decimalValue().compareTo(e.get("ts").decimalValue()) <= 0,
                        "slice ends before it starts: " + begin + " " + e);
            }
        }
        assertEquals(Map.of(), open, "slices left open");
    }
}
