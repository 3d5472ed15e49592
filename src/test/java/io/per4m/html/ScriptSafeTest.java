package io.per4m.html;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One escaping rule for JSON inside a script block, whichever way the JSON is written. */
class ScriptSafeTest {
    private static final String HOSTILE = "</script>&\u2028\u2029 é";
    private static final String ESCAPED = "\\u003c/script\\u003e\\u0026\\u2028\\u2029 é";

    @Test
    void theWriterTheJacksonEscapesAndTheStringFunctionAgree() throws IOException {
        StringWriter viaWriter = new StringWriter();
        try (ScriptSafeWriter w = new ScriptSafeWriter(viaWriter)) {
            w.write("{\"a\":\"" + HOSTILE + "\"}");
        }
        assertEquals("{\"a\":\"" + ESCAPED + "\"}", viaWriter.toString());

        StringWriter viaJackson = new StringWriter();
        try (JsonGenerator gen = new ObjectMapper().getFactory().createGenerator(viaJackson)) {
            gen.setCharacterEscapes(new ScriptSafeEscapes());
            gen.writeStartObject();
            gen.writeStringField("a", HOSTILE);
            gen.writeEndObject();
        }
        assertEquals("{\"a\":\"" + ESCAPED + "\"}", viaJackson.toString());
        assertEquals(ESCAPED, ScriptSafe.escape(HOSTILE));
    }

    @Test
    void htmlTextCoversTextAttributesAndControlCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
                HtmlText.escape("<a href=\"x\" title='y'>&</a>"));
        assertEquals("a b\tc\n", HtmlText.escape("a\u0007b\tc\n"));
    }
}
