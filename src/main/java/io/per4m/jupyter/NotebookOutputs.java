package io.per4m.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.per4m.jupyter.messages.ClearOutput;
import io.per4m.jupyter.messages.Content;
import io.per4m.jupyter.messages.DisplayData;
import io.per4m.jupyter.messages.ExecuteError;
import io.per4m.jupyter.messages.ExecuteResult;
import io.per4m.jupyter.messages.Stream;

import java.util.List;

/** Turns IOPub messages into nbformat v4 outputs. */
final class NotebookOutputs {
    private NotebookOutputs() {
    }

    static void append(JsonArray outputs, Content content) {
        if (content instanceof ClearOutput) {
            while (!outputs.isEmpty()) {
                outputs.remove(outputs.size() - 1);
            }
            return;
        }
        JsonObject output = new JsonObject();
        if (content instanceof Stream stream) {
            output.addProperty("output_type", "stream");
            output.addProperty("name", stream.name());
            output.addProperty("text", stream.text());
        } else if (content instanceof DisplayData display) {
            output.addProperty("output_type", "display_data");
            output.add("data", display.data());
            output.add("metadata", orEmpty(display.metadata()));
        } else if (content instanceof ExecuteResult result) {
            output.addProperty("output_type", "execute_result");
            output.addProperty("execution_count", result.executionCount());
            output.add("data", result.data());
            output.add("metadata", orEmpty(result.metadata()));
        } else if (content instanceof ExecuteError error) {
            output.addProperty("output_type", "error");
            output.addProperty("ename", error.ename());
            output.addProperty("evalue", error.evalue());
            output.add("traceback", lines(error.traceback()));
        } else {
            return;
        }
        outputs.add(output);
    }

    private static JsonObject orEmpty(JsonObject metadata) {
        return metadata == null ? new JsonObject() : metadata;
    }

    private static JsonArray lines(List<String> lines) {
        JsonArray array = new JsonArray();
        if (lines != null) {
            lines.forEach(line -> array.add(new JsonPrimitive(line)));
        }
        return array;
    }
}
