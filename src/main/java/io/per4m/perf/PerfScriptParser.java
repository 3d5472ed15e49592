package io.per4m.perf;

import java.io.IOException;
import java.io.InputStream;

/** Streaming parser of {@code perf script} text output. (Stub: owned by the parser work.) */
public final class PerfScriptParser {
    /** Reads the whole stream in one pass, delivering each event to {@code sink}, then calls {@code sink.end()}. */
    public ParseReport parse(InputStream in, PerfEventSink sink) throws IOException {
        throw new UnsupportedOperationException("PerfScriptParser not implemented yet");
    }
}
