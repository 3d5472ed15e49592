package io.per4m.jupyter.messages;

import com.google.gson.annotations.SerializedName;

/** IOPub: clear the cell's outputs so far (when {@code untilNextOutput}: once the next output arrives). */
public record ClearOutput(@SerializedName("wait") boolean untilNextOutput) implements Content {
}
