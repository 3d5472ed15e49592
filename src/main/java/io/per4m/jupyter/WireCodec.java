package io.per4m.jupyter;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import org.zeromq.ZMsg;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.UUID;

/** Frames Jupyter messages for ZeroMQ: identities, {@code <IDS|MSG>}, signature, four JSON parts. */
final class WireCodec {
    private static final String DELIMITER = "<IDS|MSG>";
    private final Gson gson = new Gson();
    private final MessageSigner signer;
    private final String session = UUID.randomUUID().toString();

    WireCodec(String key) {
        this.signer = new MessageSigner(key);
    }

    JupyterMessage request(String type, JsonObject content) {
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", UUID.randomUUID().toString());
        header.addProperty("session", session);
        header.addProperty("username", "per4m");
        header.addProperty("date", Instant.now().toString());
        header.addProperty("msg_type", type);
        header.addProperty("version", "5.3");
        return new JupyterMessage(header, new JsonObject(), new JsonObject(), content);
    }

    ZMsg encode(JupyterMessage message) {
        byte[][] parts = {bytes(message.header()), bytes(message.parentHeader()), bytes(message.metadata()),
                bytes(message.content())};
        ZMsg frames = new ZMsg();
        frames.add(DELIMITER);
        frames.add(signer.sign(parts));
        for (byte[] part : parts) {
            frames.add(part);
        }
        return frames;
    }

    /** Decodes a received multipart message; throws when the signature does not match. */
    JupyterMessage decode(ZMsg frames) {
        Iterator<org.zeromq.ZFrame> it = frames.iterator();
        while (it.hasNext() && !DELIMITER.equals(it.next().getString(StandardCharsets.UTF_8))) {
            // identities precede the delimiter
        }
        String signature = next(it);
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = it.hasNext() ? it.next().getData() : new byte[]{'{', '}'};
        }
        if (!signer.verify(signature, parts)) {
            throw new IllegalStateException("message with a bad signature from the kernel");
        }
        return new JupyterMessage(object(parts[0]), object(parts[1]), object(parts[2]), object(parts[3]));
    }

    private static String next(Iterator<org.zeromq.ZFrame> it) {
        return it.hasNext() ? it.next().getString(StandardCharsets.UTF_8) : "";
    }

    private byte[] bytes(JsonObject object) {
        return gson.toJson(object).getBytes(StandardCharsets.UTF_8);
    }

    private JsonObject object(byte[] json) {
        return gson.fromJson(new String(json, StandardCharsets.UTF_8), JsonObject.class);
    }
}
