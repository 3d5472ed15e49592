package io.per4m.html;

/**
 * The one rule for JSON that is embedded in an HTML page: what could end or confuse a {@code <script>} block,
 * {@code < > &} and the JavaScript line separators U+2028/U+2029, is written as {@code \\uXXXX}. In valid JSON
 * these characters only ever occur inside strings, where the escape means the same character, so the escaped
 * text is the same JSON. The trace writer ({@link ScriptSafeEscapes}), the byte copy of viztracer's events
 * ({@link ScriptSafeBytes}) and the report's data ({@link ScriptSafeWriter}) all apply it from here.
 */
public final class ScriptSafe {
    private ScriptSafe() {
    }

    /** The escape of {@code ch}, or null when it stays as it is. */
    public static String escapeOf(int ch) {
        return switch (ch) {
            case '<' -> "\\u003c";
            case '>' -> "\\u003e";
            case '&' -> "\\u0026";
            case '\u2028' -> "\\u2028";
            case '\u2029' -> "\\u2029";
            default -> null;
        };
    }

    /** {@code json} with the rule applied. */
    public static String escape(String json) {
        StringBuilder sb = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            String escape = escapeOf(c);
            if (escape == null) {
                sb.append(c);
            } else {
                sb.append(escape);
            }
        }
        return sb.toString();
    }
}
