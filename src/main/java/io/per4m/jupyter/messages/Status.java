package io.per4m.jupyter.messages;

import com.google.gson.annotations.SerializedName;

/** IOPub: the kernel is "starting", "busy" or "idle" (idle after a request: all its outputs were published). */
public record Status(@SerializedName("execution_state") String executionState) implements Content {
    public boolean idle() {
        return "idle".equals(executionState);
    }
}
