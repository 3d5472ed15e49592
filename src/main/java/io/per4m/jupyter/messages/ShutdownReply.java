package io.per4m.jupyter.messages;

/** control: the answer to {@link ShutdownRequest}. */
public record ShutdownReply(String status, boolean restart) implements Content {
}
