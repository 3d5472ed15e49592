package io.per4m.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class TraceEventFieldsTest {
    private static TraceEventFields read(String json) throws Exception {
        try (JsonParser p = new ObjectMapper().getFactory().createParser(json)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            TraceEventFields fields = new TraceEventFields();
            fields.read(p);
            assertEquals(JsonToken.END_OBJECT, p.currentToken(), "left at the event's end");
            return fields;
        }
    }

    private static long ts(String number) throws Exception {
        return read("{\"ts\": " + number + "}").tsNs;
    }

    @Test
    void microsecondsBecomeExactNanoseconds() throws Exception {
        assertEquals(6_233_821_385_900L, ts("6233821385.9"));
        assertEquals(1_130, ts("1.13"));
        assertEquals(111, ts("0.111"));
        assertEquals(12_000, ts("12"));
        assertEquals(1_001, ts("1.0005"), "half up at the fourth decimal");
        assertEquals(1_000, ts("1.00049"));
        assertEquals(123_456_789_012_346L, ts("123456789012.3456"));
        assertEquals(-2_500, ts("-2.5"));
        assertEquals(1_000_000, ts("1e3"), "an exponent goes through a double");
        assertEquals(1_234_567_890_123_456_789L / 1000 * 1000, ts("1234567890123456.789") / 1000 * 1000,
                "more digits than a long holds exactly: through a double, close enough");
    }

    @Test
    void fieldsAndNestedValues() throws Exception {
        TraceEventFields e = read("""
                {"ph": "X", "cat": "FEE", "name": "f <x>", "pid": 7, "tid": 8, "ts": 1.5, "dur": 2,
                 "args": {"name": "n", "v": 3, "o": {"name": "not this"}}, "stack": [1, [2]], "id": {"local": 1}}""");
        assertSame("X", e.ph);
        assertSame("FEE", e.cat);
        assertEquals("f <x>", e.name);
        assertEquals(7, e.pid);
        assertEquals(8, e.tid);
        assertEquals(1_500, e.tsNs);
        assertEquals(2_000, e.durNs);
        assertEquals("n", e.argName);
        assertEquals(java.util.List.of("v"), e.argKeys);
        assertNull(e.id, "a structured id is skipped");
        TraceEventFields odd = read("{\"ph\": \"zz\", \"cat\": \"mine\"}");
        assertEquals("zz", odd.ph);
        assertEquals("mine", odd.cat);
        assertEquals(-1, odd.pid);
    }
}
