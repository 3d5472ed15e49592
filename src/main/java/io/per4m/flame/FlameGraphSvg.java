package io.per4m.flame;

import io.per4m.html.HtmlText;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A self-contained SVG flame graph (no script, hover titles only) of folded stacks. Frame names come
 * from the traced program and are XML-escaped.
 */
public final class FlameGraphSvg {
    private static final int WIDTH = 1200;
    private static final int FRAME_HEIGHT = 16;
    private static final int TOP = 40;
    private static final double MIN_WIDTH = 0.3;

    private final String title;
    private final String unit;

    public FlameGraphSvg(String title, String unit) {
        this.title = title;
        this.unit = unit;
    }

    private static final class Node {
        final String name;
        final Map<String, Node> children = new TreeMap<>();
        long weight;

        Node(String name) {
            this.name = name;
        }
    }

    public void write(FoldedStacks stacks, Writer out) throws IOException {
        Node root = new Node("all");
        int depth = 0;
        for (Map.Entry<String, Long> entry : stacks.asMap().entrySet()) {
            Node node = root;
            root.weight += entry.getValue();
            String[] frames = entry.getKey().split(";");
            depth = Math.max(depth, frames.length);
            for (String frame : frames) {
                node = node.children.computeIfAbsent(frame, Node::new);
                node.weight += entry.getValue();
            }
        }
        int height = TOP + (depth + 1) * FRAME_HEIGHT + 20;
        out.write("<?xml version=\"1.0\" standalone=\"no\"?>\n");
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\" font-family=\"Verdana, sans-serif\" font-size=\"11\">\n");
        out.write("<rect width=\"100%\" height=\"100%\" fill=\"#fdfdf8\"/>\n");
        out.write("<text x=\"" + WIDTH / 2 + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" + HtmlText.escape(title)
                + "</text>\n");
        if (root.weight == 0) {
            out.write("<text x=\"" + WIDTH / 2 + "\" y=\"" + (TOP + 20) + "\" text-anchor=\"middle\">no samples</text>\n");
        } else {
            List<String> rects = new ArrayList<>();
            draw(root, 0, 10, WIDTH - 20.0, height - 20 - FRAME_HEIGHT, root.weight, rects);
            for (String rect : rects) {
                out.write(rect);
            }
        }
        out.write("</svg>\n");
    }

    private void draw(Node node, int level, double x, double width, int y, long total, List<String> out) {
        if (width < MIN_WIDTH) {
            return;
        }
        double pct = 100.0 * node.weight / total;
        String label = node.name + " (" + node.weight + " " + unit + ", " + String.format("%.2f", pct) + "%)";
        StringBuilder g = new StringBuilder();
        g.append("<g><title>").append(HtmlText.escape(label)).append("</title>");
        g.append(String.format("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" rx=\"2\"/>",
                x, y, width, FRAME_HEIGHT - 1, colour(node.name, level)));
        int chars = (int) (width / 7);
        if (chars >= 3) {
            String text = node.name.length() <= chars ? node.name : node.name.substring(0, chars - 2) + "..";
            g.append(String.format("<text x=\"%.1f\" y=\"%d\">", x + 3, y + FRAME_HEIGHT - 4))
                    .append(HtmlText.escape(text)).append("</text>");
        }
        g.append("</g>\n");
        out.add(g.toString());
        double childX = x;
        for (Node child : node.children.values()) {
            double childWidth = width * child.weight / node.weight;
            draw(child, level + 1, childX, childWidth, y - FRAME_HEIGHT, total, out);
            childX += childWidth;
        }
    }

    /** Warm colours for C frames, blue-green for Python frames ("name (file:line)"), stable per name. */
    private static String colour(String name, int level) {
        int hash = Math.abs(name.hashCode());
        if (name.contains(".py:") || name.contains(".py)")) {
            return "rgb(" + (60 + hash % 40) + "," + (150 + hash % 60) + "," + (170 + hash % 50) + ")";
        }
        return "rgb(" + (205 + hash % 50) + "," + (90 + (hash >> 3) % 120) + "," + (40 + (hash >> 7) % 40) + ")";
    }
}
