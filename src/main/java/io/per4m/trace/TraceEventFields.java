package io.per4m.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one Trace Event Format event that a reader of traces needs: phase, names, ids, times in ns and the
 * scalar arguments (counter values, metadata names). One instance is filled and reused per event of a stream,
 * so that reading millions of events allocates nothing per event; a consumer copies what it keeps.
 */
public final class TraceEventFields {
    private static final String[] PHASES = {"X", "M", "B", "E", "b", "e", "C", "i", "I", "n", "s", "t", "f"};
    private static final String[] CATEGORIES = {"FEE", "gil", "state", "counter"};
    public String ph;
    public String name;
    public String cat;
    public String id;
    /** -1 when the event has none */
    public int pid;
    /** -1 when the event has none */
    public int tid;
    public long tsNs;
    public long durNs;
    /** {@code args.name} (metadata events), or null */
    public String argName;
    public final List<String> argKeys = new ArrayList<>();
    public final List<Double> argValues = new ArrayList<>();

    public void clear() {
        ph = null;
        name = null;
        cat = null;
        id = null;
        pid = -1;
        tid = -1;
        tsNs = 0;
        durNs = 0;
        argName = null;
        argKeys.clear();
        argValues.clear();
    }

    /** Fills the fields from the event object at {@code p}'s current START_OBJECT, reading up to its end. */
    public void read(JsonParser p) throws IOException {
        clear();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
            switch (field) {
                case "ph" -> ph = value == JsonToken.VALUE_STRING ? known(p, PHASES) : null;
                case "name" -> name = value == JsonToken.VALUE_STRING ? p.getText() : null;
                case "cat" -> cat = value == JsonToken.VALUE_STRING ? known(p, CATEGORIES) : null;
                case "id" -> id = value.isScalarValue() ? p.getValueAsString() : null;
                case "pid" -> pid = value == JsonToken.VALUE_NUMBER_INT ? p.getValueAsInt(-1) : -1;
                case "tid" -> tid = value == JsonToken.VALUE_NUMBER_INT ? p.getValueAsInt(-1) : -1;
                case "ts" -> tsNs = number ? nanos(p) : 0;
                case "dur" -> durNs = number ? nanos(p) : 0;
                case "args" -> readArgs(p, value);
                default -> {
                }
            }
            p.skipChildren(); // a no-op on scalars
        }
    }

    /** The string at {@code p}, as one of {@code common} when it is one (no new String for each event). */
    private static String known(JsonParser p, String[] common) throws IOException {
        char[] text = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        for (String candidate : common) {
            if (candidate.length() == length) {
                int i = 0;
                while (i < length && candidate.charAt(i) == text[offset + i]) {
                    i++;
                }
                if (i == length) {
                    return candidate;
                }
            }
        }
        return p.getText();
    }

    /**
     * The number at {@code p}, in µs, as ns: plain decimals (what traces hold) exactly from their digits, rounded
     * half up at the fourth decimal, which is also quicker than a double; anything else through a double.
     */
    static long nanos(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
            return p.getIntValue() * 1000L;
        }
        char[] text = p.getTextCharacters();
        int i = p.getTextOffset();
        int end = i + p.getTextLength();
        boolean negative = i < end && text[i] == '-';
        i += negative ? 1 : 0;
        long whole = 0;
        int digits = 0;
        while (i < end && text[i] >= '0' && text[i] <= '9' && digits < 15) {
            whole = whole * 10 + (text[i++] - '0');
            digits++;
        }
        long fraction = 0;
        int decimals = 0;
        boolean roundUp = false;
        if (i < end && text[i] == '.') {
            i++;
            while (i < end && text[i] >= '0' && text[i] <= '9') {
                if (decimals < 3) {
                    fraction = fraction * 10 + (text[i] - '0');
                } else if (decimals == 3) {
                    roundUp = text[i] >= '5';
                }
                decimals++;
                i++;
            }
        }
        if (i != end || digits == 0) {
            return nanos(p.getDoubleValue()); // an exponent, or more digits than a long holds exactly
        }
        for (int d = decimals; d < 3; d++) {
            fraction *= 10;
        }
        long ns = whole * 1000 + fraction + (roundUp ? 1 : 0);
        return negative ? -ns : ns;
    }

    /** Keeps the scalar arguments only: counters' values and metadata names. */
    private void readArgs(JsonParser p, JsonToken value) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
                argKeys.add(key);
                argValues.add(p.getDoubleValue());
            } else if (v == JsonToken.VALUE_STRING && "name".equals(key)) {
                argName = p.getText();
            } else {
                p.skipChildren();
            }
        }
    }

    /** A trace's µs (as a JSON number, possibly fractional) in ns. */
    public static long nanos(double micros) {
        return Math.round(micros * 1000.0);
    }
}
