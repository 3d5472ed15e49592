package io.per4m.jupyter.messages;

/** The content of a Jupyter message: one record per message type we speak, {@link UnknownContent} for the rest. */
public sealed interface Content permits ExecuteRequest, ExecuteReply, KernelInfoRequest, KernelInfoReply,
        InterruptRequest, InterruptReply, ShutdownRequest, ShutdownReply, Status, Stream, DisplayData,
        ExecuteResult, ExecuteError, ClearOutput, UnknownContent {
}
