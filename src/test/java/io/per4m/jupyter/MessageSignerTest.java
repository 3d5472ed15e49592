package io.per4m.jupyter;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageSignerTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signsLikePythonHmac() {
        // python3: h = hmac.new(b'k3y', digestmod=hashlib.sha256); h.update(each part); h.hexdigest()
        String expected = "53d605bdac10c5c7bb16e71d2ffcde5d59e08fc6ba2e4f68b981080e85257606";
        MessageSigner signer = new MessageSigner("k3y");
        byte[][] parts = {b("{\"msg_id\":\"1\"}"), b("{}"), b("{}"), b("{\"code\":\"1\"}")};
        assertEquals(expected, signer.sign(parts));
        assertTrue(signer.verify(expected, parts));
        assertFalse(signer.verify(expected.replace('5', '6'), parts));
    }

    @Test
    void emptyKeyMeansUnsigned() {
        assertEquals("", new MessageSigner("").sign(b("{}")));
    }
}
