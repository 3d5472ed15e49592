package io.per4m.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;

import java.io.IOException;

/** Compact JSON, but each element of a top-level array on its own line, so traces can be read with grep and less. */
final class EventPerLine extends MinimalPrettyPrinter {
    private static final long serialVersionUID = 1L;

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (isTopLevelArray(g.getOutputContext())) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        if (isTopLevelArray(g.getOutputContext())) {
            g.writeRaw('\n');
        }
    }

    @Override
    public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
        if (nrOfValues > 0 && isTopLevelArray(g.getOutputContext())) {
            g.writeRaw('\n');
        }
        g.writeRaw(']');
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        if (g.getOutputContext().getParent() != null && g.getOutputContext().getParent().inRoot()) {
            g.writeRaw('\n');
        }
    }

    private static boolean isTopLevelArray(JsonStreamContext context) {
        JsonStreamContext parent = context.getParent();
        return context.inArray() && parent != null && parent.getParent() != null && parent.getParent().inRoot();
    }
}
