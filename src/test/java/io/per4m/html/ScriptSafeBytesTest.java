package io.per4m.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ScriptSafeBytesTest {
    private static String copy(Path file, long from, long to) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ScriptSafeBytes.copy(file, from, to, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void escapesWhatHtmlAndJavaScriptMindAndNothingElse(@TempDir Path dir) throws Exception {
        String json = "[{\"name\": \"</script><b>&amp; \u2028 \u2029 é 🐍\", \"ts\": 1.50}]";
        Path file = Files.writeString(dir.resolve("t.json"), json);
        String copied = copy(file, 0, Files.size(file));
        assertEquals("[{\"name\": \"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp; \\u2028 \\u2029 é 🐍\", \"ts\": 1.50}]",
                copied);
        ObjectMapper mapper = new ObjectMapper();
        assertEquals(mapper.readTree(json), mapper.readTree(copied));
    }

    @Test
    void aRangeAndSeparatorsAcrossChunkBoundariesCopyTheSame(@TempDir Path dir) throws Exception {
        // names long enough that U+2028's three bytes fall on every position around the 64 KiB chunk boundaries
        StringBuilder json = new StringBuilder("xx[");
        for (int i = 0; i < 3000; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append("a".repeat(i % 7)).append("\u2028<")
                    .append("b".repeat(40)).append("\"}");
        }
        json.append("]yy");
        Path file = Files.writeString(dir.resolve("t.json"), json);
        long size = Files.size(file);
        String copied = copy(file, 2, size - 2);
        JsonNode expected = new ObjectMapper().readTree(json.substring(2, json.length() - 2));
        assertEquals(expected, new ObjectMapper().readTree(copied));
        assertFalse(copied.contains("\u2028") || copied.contains("<"));
        assertEquals(size - 4 - 3000L * 3 - 3000L + 3000L * 6 * 2, copied.getBytes(StandardCharsets.UTF_8).length);
    }
}
