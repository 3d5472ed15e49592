package io.per4m.jupyter.messages;

/** control: the answer to {@link InterruptRequest}. */
public record InterruptReply(String status) implements Content {
}
