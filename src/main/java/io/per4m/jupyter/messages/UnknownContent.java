package io.per4m.jupyter.messages;

import com.google.gson.JsonObject;

/** The content of a message type we do not model (kernels send more than we read), kept as it came. */
public record UnknownContent(JsonObject json) implements Content {
}
