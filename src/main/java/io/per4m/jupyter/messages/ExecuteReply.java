package io.per4m.jupyter.messages;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;

import java.util.List;

/**
 * shell: how an execute_request ended.
 *
 * @param status         "ok", "error" or "aborted"
 * @param executionCount the kernel's counter for the cell; null when the kernel sends none (an aborted cell)
 * @param ename          with status "error", as in {@link ExecuteError}; null otherwise
 */
public record ExecuteReply(String status,
                           @SerializedName("execution_count") Integer executionCount,
                           @SerializedName("user_expressions") JsonObject userExpressions,
                           JsonArray payload,
                           String ename,
                           String evalue,
                           List<String> traceback) implements Content {
    public boolean ok() {
        return "ok".equals(status);
    }
}
