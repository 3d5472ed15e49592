package io.per4m.html;

/**
 * Escaping for HTML and SVG (XML) text and attribute values: names from the traced program stay text. Control
 * characters other than tab and line breaks, which XML does not allow, become spaces.
 */
public final class HtmlText {
    private HtmlText() {
    }

    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
