package io.per4m.jupyter.messages;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The four JSON parts of a message (header, parent header, metadata, content) to and from records, on one Gson.
 * Kernels send more than we model: fields we do not know are skipped, and a message type we do not know (or a
 * content whose shape does not fit its record) is kept as {@link UnknownContent}.
 */
public final class MessageJson {
    private final Gson gson = new GsonBuilder()
            .registerTypeAdapterFactory(new AbsentHeaderFactory())
            .registerTypeAdapterFactory(new UnknownContentFactory())
            .disableHtmlEscaping()
            .create();

    /** The four parts, as UTF-8 JSON, in wire order. */
    public byte[][] parts(Message message) {
        TypeAdapter<Header> headers = gson.getAdapter(Header.class);
        return new byte[][]{
                bytes(headers.toJson(message.header())),
                bytes(headers.toJson(message.parentHeader())),
                bytes(gson.toJson(message.metadata() == null ? new JsonObject() : message.metadata())),
                bytes(gson.toJson(message.content())),
        };
    }

    /** A message from its four parts, in wire order. */
    public Message message(byte[][] parts) {
        TypeAdapter<Header> headers = gson.getAdapter(Header.class);
        Header header = headers.fromJsonTree(object(parts[0]));
        Header parent = headers.fromJsonTree(object(parts[1]));
        return new Message(header == null ? new Header(null, null, null, null, null, null) : header, parent,
                object(parts[2]), content(header == null ? null : header.msgType(), object(parts[3])));
    }

    /** The content of a {@code msgType} message, read into its record. */
    public Content content(String msgType, JsonObject json) {
        Optional<MessageType> type = MessageType.named(msgType);
        if (type.isPresent()) {
            try {
                return gson.fromJson(json, type.get().contentClass());
            } catch (JsonParseException e) {
                // a field of another shape than the protocol's: kept as it came, like an unknown type
            }
        }
        return new UnknownContent(json);
    }

    /** A JSON tree of {@code content}, as it goes on the wire. */
    public JsonObject tree(Content content) {
        return gson.toJsonTree(content).getAsJsonObject();
    }

    private JsonObject object(byte[] json) {
        JsonElement element = gson.fromJson(new String(json, StandardCharsets.UTF_8), JsonElement.class);
        return element != null && element.isJsonObject() ? element.getAsJsonObject() : new JsonObject();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** A message that answers no request has {@code {}} as parent header: null here, and {@code {}} again on the wire. */
    private static final class AbsentHeaderFactory implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != Header.class) {
                return null;
            }
            TypeAdapter<Header> fields = gson.getDelegateAdapter(this, TypeToken.get(Header.class));
            TypeAdapter<JsonElement> trees = gson.getAdapter(JsonElement.class);
            return (TypeAdapter<T>) new TypeAdapter<Header>() {
                @Override
                public void write(JsonWriter out, Header header) throws IOException {
                    if (header == null) {
                        out.beginObject().endObject();
                    } else {
                        fields.write(out, header);
                    }
                }

                @Override
                public Header read(JsonReader in) throws IOException {
                    JsonElement tree = trees.read(in);
                    boolean absent = tree == null || !tree.isJsonObject() || tree.getAsJsonObject().isEmpty();
                    return absent ? null : fields.fromJsonTree(tree);
                }
            };
        }
    }

    /** Content we do not model goes back out as it came in. */
    private static final class UnknownContentFactory implements TypeAdapterFactory {
        @Override
        @SuppressWarnings("unchecked")
        public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
            if (type.getRawType() != UnknownContent.class) {
                return null;
            }
            TypeAdapter<JsonElement> trees = gson.getAdapter(JsonElement.class);
            return (TypeAdapter<T>) new TypeAdapter<UnknownContent>() {
                @Override
                public void write(JsonWriter out, UnknownContent content) throws IOException {
                    trees.write(out, content.json());
                }

                @Override
                public UnknownContent read(JsonReader in) throws IOException {
                    JsonElement tree = trees.read(in);
                    return new UnknownContent(tree.isJsonObject() ? tree.getAsJsonObject() : new JsonObject());
                }
            };
        }
    }
}
