package io.per4m.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Python thread names by OS thread id, as the traced program left them: the {@code "threads"} object the runner
 * writes into its sync file and the notebook magic into its cell's folder ({@code {"threads": {"4711": "worker"}}}).
 */
public final class PythonThreadNames {
    /** The file the notebook magic writes a cell's thread names to, in the cell's folder. */
    public static final String CELL_FILE = "thread-names.json";

    private PythonThreadNames() {
    }

    /** The names in {@code file}; none when it is null or absent (an older runner, a run without names). */
    public static Map<Integer, String> read(Path file) {
        Map<Integer, String> names = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return names;
        }
        JsonNode threads;
        try {
            threads = new ObjectMapper().readTree(file.toFile()).path("threads");
        } catch (IOException e) {
            throw new UserError("cannot read the thread names in " + file + ": " + e.getMessage());
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = threads.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            try {
                if (entry.getValue().isTextual()) {
                    names.put(Integer.parseInt(entry.getKey()), entry.getValue().asText());
                }
            } catch (NumberFormatException e) {
                throw new UserError("thread names in " + file + ": '" + entry.getKey() + "' is no thread id");
            }
        }
        return names;
    }
}
