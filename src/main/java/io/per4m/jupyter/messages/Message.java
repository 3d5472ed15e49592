package io.per4m.jupyter.messages;

import com.google.gson.JsonObject;

import java.util.Objects;
import java.util.Optional;

/**
 * One Jupyter message: its header, the header of the request it answers (null when it answers none), the
 * metadata (free-form by the protocol) and its typed content.
 */
public record Message(Header header, Header parentHeader, JsonObject metadata, Content content) {
    /** A new request carrying {@code content}, in {@code session}. */
    public static Message request(Content content, String session) {
        return new Message(Header.request(MessageType.of(content).wireName(), session), null, new JsonObject(),
                content);
    }

    public String type() {
        return Objects.requireNonNullElse(header.msgType(), "");
    }

    public String id() {
        return Objects.requireNonNullElse(header.msgId(), "");
    }

    /** The msg_id of the request this message answers, or "" when it answers none. */
    public String parentId() {
        return parentHeader == null ? "" : Objects.requireNonNullElse(parentHeader.msgId(), "");
    }

    /** The content when it is of {@code type}. */
    public <T extends Content> Optional<T> content(Class<T> type) {
        return type.isInstance(content) ? Optional.of(type.cast(content)) : Optional.empty();
    }
}
