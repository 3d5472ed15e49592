package io.per4m.jupyter;

import io.per4m.jupyter.messages.Content;
import io.per4m.jupyter.messages.Message;
import io.per4m.jupyter.messages.MessageJson;
import org.zeromq.ZFrame;
import org.zeromq.ZMsg;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.UUID;

/** Frames Jupyter messages for ZeroMQ: identities, {@code <IDS|MSG>}, signature, four JSON parts. */
final class WireCodec {
    private static final String DELIMITER = "<IDS|MSG>";
    private static final byte[] EMPTY_PART = {'{', '}'};
    private final MessageJson json = new MessageJson();
    private final MessageSigner signer;
    private final String session = UUID.randomUUID().toString();

    WireCodec(String key) {
        this.signer = new MessageSigner(key);
    }

    Message request(Content content) {
        return Message.request(content, session);
    }

    ZMsg encode(Message message) {
        byte[][] parts = json.parts(message);
        ZMsg frames = new ZMsg();
        frames.add(DELIMITER);
        frames.add(signer.sign(parts));
        for (byte[] part : parts) {
            frames.add(part);
        }
        return frames;
    }

    /** Decodes a received multipart message; throws when the signature does not match. */
    Message decode(ZMsg frames) {
        Iterator<ZFrame> it = frames.iterator();
        while (it.hasNext() && !DELIMITER.equals(it.next().getString(StandardCharsets.UTF_8))) {
            // identities precede the delimiter
        }
        String signature = it.hasNext() ? it.next().getString(StandardCharsets.UTF_8) : "";
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            parts[i] = it.hasNext() ? it.next().getData() : EMPTY_PART;
        }
        if (!signer.verify(signature, parts)) {
            throw new IllegalStateException("message with a bad signature from the kernel");
        }
        return json.message(parts);
    }
}
