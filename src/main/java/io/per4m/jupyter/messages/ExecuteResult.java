package io.per4m.jupyter.messages;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;

/** IOPub: the value of a cell's last expression (the {@code Out[n]}), a MIME bundle like {@link DisplayData}'s. */
public record ExecuteResult(JsonObject data, JsonObject metadata,
                            @SerializedName("execution_count") Integer executionCount) implements Content {
}
