package io.per4m.html;

/**
 * Escaping for HTML and SVG (XML) text and attribute values: names from the traced program stay text. Control
 * characters other than tab and line breaks, which XML does not allow, become spaces.
 */
public final class HtmlText {
    private HtmlText() {
    }

    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * A whole HTML document as a double-quoted attribute value (an iframe's {@code srcdoc}): as {@link #escape}, but
     * apostrophes stay (they end no double-quoted value) and line breaks become character references, so the
     * document is one line: a notebook stores its outputs as a JSON string per line, and a page's thousand lines
     * would weigh a tenth more.
     */
    public static String escapeDocument(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean document) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append(document ? "'" : "&#39;");
                case '\n' -> sb.append(document ? "&#10;" : "\n");
                case '\r' -> sb.append(document ? "&#13;" : "\r");
                default -> sb.append(c < 0x20 && c != '\t' ? ' ' : c);
            }
        }
        return sb.toString();
    }
}
