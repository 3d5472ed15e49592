package io.per4m.jupyter.messages;

/** shell: what kernel is this (no fields); answering it also shows that the kernel is up. */
public record KernelInfoRequest() implements Content {
}
