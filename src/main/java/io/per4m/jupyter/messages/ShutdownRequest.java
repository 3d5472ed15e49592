package io.per4m.jupyter.messages;

/** control: exit, or restart when {@code restart}. */
public record ShutdownRequest(boolean restart) implements Content {
}
