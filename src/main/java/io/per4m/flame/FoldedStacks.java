package io.per4m.flame;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted stacks in Brendan Gregg's folded form ({@code root;child;leaf weight}); memory grows with the
 * number of distinct stacks, not with the number of samples.
 */
public final class FoldedStacks {
    private final Map<String, Long> weights = new LinkedHashMap<>();

    /** Adds {@code weight} to the stack given outermost frame first. */
    public void add(List<String> framesOutermostFirst, long weight) {
        if (framesOutermostFirst.isEmpty() || weight <= 0) {
            return;
        }
        StringBuilder key = new StringBuilder();
        for (String frame : framesOutermostFirst) {
            if (!key.isEmpty()) {
                key.append(';');
            }
            // ';' separates frames and a trailing ' N' is the weight: keep both out of frame names
            key.append(frame.replace(';', ':').replace('\n', ' '));
        }
        weights.merge(key.toString(), weight, Long::sum);
    }

    public boolean isEmpty() {
        return weights.isEmpty();
    }

    public long total() {
        return weights.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<String, Long> asMap() {
        return Map.copyOf(weights);
    }

    /** Writes one line per stack, heaviest first, in the format stackcollapse.pl produces. */
    public void writeFolded(Writer out) throws IOException {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(weights.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        for (Map.Entry<String, Long> entry : entries) {
            out.write(entry.getKey());
            out.write(' ');
            out.write(Long.toString(entry.getValue()));
            out.write('\n');
        }
    }
}
