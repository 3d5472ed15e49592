package io.per4m.jupyter;

import com.google.gson.JsonObject;

/** One Jupyter message; the four dictionaries as gson trees. */
public record JupyterMessage(JsonObject header, JsonObject parentHeader, JsonObject metadata, JsonObject content) {
    public String type() {
        return header.has("msg_type") ? header.get("msg_type").getAsString() : "";
    }

    public String id() {
        return header.has("msg_id") ? header.get("msg_id").getAsString() : "";
    }

    /** The msg_id of the request this message answers, or "" when it answers none. */
    public String parentId() {
        return parentHeader.has("msg_id") ? parentHeader.get("msg_id").getAsString() : "";
    }
}
