package io.per4m.jupyter.messages;

import com.google.gson.annotations.SerializedName;

import java.time.Instant;
import java.util.UUID;

/**
 * The header of a Jupyter message (protocol 5.x). The date stays the kernel's ISO 8601 text: nothing here
 * computes with it, and it goes back to the kernel unchanged inside parent headers.
 */
public record Header(@SerializedName("msg_id") String msgId,
                     @SerializedName("msg_type") String msgType,
                     String username,
                     String session,
                     String date,
                     String version) {
    /** The protocol version our requests follow. */
    public static final String PROTOCOL_VERSION = "5.3";

    /** A new request's header: a fresh id, now, in {@code session}. */
    public static Header request(String msgType, String session) {
        return new Header(UUID.randomUUID().toString(), msgType, "per4m", session, Instant.now().toString(),
                PROTOCOL_VERSION);
    }
}
