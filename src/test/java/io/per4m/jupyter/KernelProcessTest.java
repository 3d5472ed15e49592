package io.per4m.jupyter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Starting a real ipykernel when a port chosen for it is taken before it binds. */
class KernelProcessTest {
    /**
     * The first start binds the connection file's shell port itself, then becomes the kernel with that socket still
     * open: the real ipykernel fails to bind, as it does when another process took the port in the meantime.
     */
    private static final String TAKES_THE_SHELL_PORT_FIRST = """
            #!/bin/sh
            attempts="$(dirname "$0")/attempts"
            n=$(cat "$attempts" 2>/dev/null || echo 0)
            echo $((n + 1)) > "$attempts"
            if [ "$n" = 0 ]; then
              exec "%1$s" -c 'import json, os, socket, sys
            c = json.load(open(sys.argv[1]))
            s = socket.socket()
            s.bind(("127.0.0.1", c["shell_port"]))
            s.listen()
            s.set_inheritable(True)
            os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", "-f", sys.argv[1]])' "$4"
            fi
            exec "%1$s" "$@"
            """;

    @Test
    void aPortTakenBeforeTheKernelBindsItIsReplacedByFreshOnes(@TempDir Path dir) throws Exception {
        Path python = Path.of(KernelClientTest.python()).toAbsolutePath();
        assumeTrue(Files.isExecutable(python), "no project venv: run scripts/bootstrap.sh");
        Path wrapper = dir.resolve("python");
        Files.writeString(wrapper, TAKES_THE_SHELL_PORT_FIRST.formatted(python));
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        try (KernelProcess kernel = KernelProcess.start(wrapper.toString(), List.of(), dir, Duration.ofSeconds(120))) {
            assertTrue(kernel.client().execute("1 + 1", Duration.ofSeconds(60)).ok());
        }
        assertEquals("2", Files.readString(dir.resolve("attempts")).strip(), "the first start failed, the second ran");
    }
}
