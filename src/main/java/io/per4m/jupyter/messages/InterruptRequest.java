package io.per4m.jupyter.messages;

/** control: interrupt the running cell (kernels with interrupt_mode "message"). */
public record InterruptRequest() implements Content {
}
