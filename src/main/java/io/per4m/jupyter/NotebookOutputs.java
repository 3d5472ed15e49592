package io.per4m.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** Turns IOPub messages into nbformat v4 outputs. */
final class NotebookOutputs {
    private NotebookOutputs() {
    }

    static void append(JsonArray outputs, JupyterMessage message) {
        JsonObject content = message.content();
        JsonObject output = new JsonObject();
        switch (message.type()) {
            case "stream" -> {
                output.addProperty("output_type", "stream");
                output.add("name", content.get("name"));
                output.add("text", content.get("text"));
            }
            case "display_data", "execute_result" -> {
                output.addProperty("output_type", message.type());
                if (message.type().equals("execute_result")) {
                    output.add("execution_count", content.get("execution_count"));
                }
                output.add("data", content.get("data"));
                output.add("metadata", content.has("metadata") ? content.get("metadata") : new JsonObject());
            }
            case "error" -> {
                output.addProperty("output_type", "error");
                output.add("ename", content.get("ename"));
                output.add("evalue", content.get("evalue"));
                output.add("traceback", content.get("traceback"));
            }
            case "clear_output" -> {
                while (!outputs.isEmpty()) {
                    outputs.remove(outputs.size() - 1);
                }
                return;
            }
            default -> {
                return;
            }
        }
        outputs.add(output);
    }
}
