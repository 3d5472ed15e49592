package io.per4m.jupyter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real ipykernel checks the HMAC-SHA256 signature of what we send: it answers ours, and refuses another key's. */
class KernelSignatureTest {
    @Test
    void theKernelAnswersMessagesSignedWithItsKeyAndRefusesOthers(@TempDir Path dir) throws Exception {
        String python = KernelClientTest.python();
        assumeTrue(Files.isExecutable(Path.of(python)), "no project venv: run scripts/bootstrap.sh");
        ConnectionInfo connection = ConnectionInfo.fresh();
        Path file = dir.resolve("kernel.json");
        connection.write(file);
        Path log = dir.resolve("kernel.log");
        Process kernel = new ProcessBuilder(python, "-m", "ipykernel_launcher", "-f", file.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (KernelClient ours = new KernelClient(connection)) {
            ours.awaitReady(Duration.ofSeconds(60));
            assertEquals("2", ours.execute("1 + 1", Duration.ofSeconds(30)).outputs().get(0).getAsJsonObject()
                    .getAsJsonObject("data").get("text/plain").getAsString());

            ConnectionInfo otherKey = new ConnectionInfo(connection.transport(), connection.ip(),
                    connection.shellPort(), connection.iopubPort(), connection.stdinPort(), connection.controlPort(),
                    connection.hbPort(), ConnectionInfo.fresh().key(), connection.signatureScheme());
            try (KernelClient forged = new KernelClient(otherKey)) {
                // the kernel is up (it just answered): no answer now means it refused the message
                assertThrows(IOException.class, () -> forged.awaitReady(Duration.ofSeconds(3)));
            }
            assertTrue(Files.readString(log).contains("Invalid Signature"), "the kernel's log names the refusal");

            ours.shutdown();
            assertTrue(kernel.waitFor(30, TimeUnit.SECONDS), "the kernel exits when asked by a signed message");
        } finally {
            kernel.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
