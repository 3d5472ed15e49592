package io.per4m.jupyter.messages;

import java.util.Arrays;
import java.util.Optional;

/** The message types we model: the name on the wire and the record its content is read into. */
public enum MessageType {
    EXECUTE_REQUEST("execute_request", ExecuteRequest.class),
    EXECUTE_REPLY("execute_reply", ExecuteReply.class),
    KERNEL_INFO_REQUEST("kernel_info_request", KernelInfoRequest.class),
    KERNEL_INFO_REPLY("kernel_info_reply", KernelInfoReply.class),
    INTERRUPT_REQUEST("interrupt_request", InterruptRequest.class),
    INTERRUPT_REPLY("interrupt_reply", InterruptReply.class),
    SHUTDOWN_REQUEST("shutdown_request", ShutdownRequest.class),
    SHUTDOWN_REPLY("shutdown_reply", ShutdownReply.class),
    STATUS("status", Status.class),
    STREAM("stream", Stream.class),
    DISPLAY_DATA("display_data", DisplayData.class),
    EXECUTE_RESULT("execute_result", ExecuteResult.class),
    ERROR("error", ExecuteError.class),
    CLEAR_OUTPUT("clear_output", ClearOutput.class);

    private final String wireName;
    private final Class<? extends Content> contentClass;

    MessageType(String wireName, Class<? extends Content> contentClass) {
        this.wireName = wireName;
        this.contentClass = contentClass;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends Content> contentClass() {
        return contentClass;
    }

    /** The modelled type of this name; empty for the types kernels send that we do not model. */
    public static Optional<MessageType> named(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }

    /** The type whose content this is (not defined for {@link UnknownContent}, which carries no type). */
    public static MessageType of(Content content) {
        return Arrays.stream(values()).filter(t -> t.contentClass == content.getClass()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no message type for " + content.getClass()));
    }
}
