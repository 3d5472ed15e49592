package io.per4m.jupyter.messages;

/** IOPub: text the cell wrote to {@code name}, "stdout" or "stderr". */
public record Stream(String name, String text) implements Content {
}
