package io.per4m.jupyter;

import com.google.gson.JsonArray;

/**
 * What executing one cell produced.
 *
 * @param status         "ok", "error" or "aborted" (from execute_reply)
 * @param executionCount the kernel's execution counter for the cell
 * @param outputs        the outputs in nbformat v4 form (stream, display_data, execute_result, error)
 */
public record CellOutcome(String status, int executionCount, JsonArray outputs) {
    public boolean ok() {
        return "ok".equals(status);
    }
}
