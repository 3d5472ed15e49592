package io.per4m.jupyter.messages;

import com.google.gson.JsonObject;
import com.google.gson.annotations.SerializedName;

/**
 * IOPub: an output shown by display(). The MIME bundle stays a JSON object: its values are text, lists of lines
 * or JSON of any shape, depending on the MIME type.
 */
public record DisplayData(JsonObject data, JsonObject metadata, @SerializedName("transient") JsonObject transientData) implements Content {
}
