package io.per4m.jupyter;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Talks to a real ipykernel from the project venv (made by scripts/bootstrap.sh). */
class KernelClientTest {
    static KernelProcess kernel;

    static String python() {
        return System.getProperty("per4m.test.python", ".venv/bin/python");
    }

    @BeforeAll
    static void startKernel(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of(python())), "no project venv: run scripts/bootstrap.sh");
        kernel = KernelProcess.start(python(), List.of(), dir, Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopKernel() {
        if (kernel != null) {
            long pid = kernel.pid();
            kernel.close();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "kernel still running");
        }
    }

    @Test
    void executesAndCollectsOutputs() throws Exception {
        CellOutcome first = kernel.client().execute("answer = 6 * 7\nprint('hello')\nanswer", Duration.ofSeconds(30));
        assertTrue(first.ok());
        JsonObject stream = first.outputs().get(0).getAsJsonObject();
        assertEquals("stream", stream.get("output_type").getAsString());
        assertEquals("hello\n", stream.get("text").getAsString());
        JsonObject result = first.outputs().get(1).getAsJsonObject();
        assertEquals("42", result.getAsJsonObject("data").get("text/plain").getAsString());

        // state persists between cells of one kernel
        CellOutcome second = kernel.client().execute("answer + 1", Duration.ofSeconds(30));
        assertEquals("43", second.outputs().get(0).getAsJsonObject().getAsJsonObject("data")
                .get("text/plain").getAsString());
        assertEquals(first.executionCount() + 1, second.executionCount());
    }

    @Test
    void reportsErrors() throws Exception {
        CellOutcome outcome = kernel.client().execute("1/0", Duration.ofSeconds(30));
        assertEquals("error", outcome.status());
        JsonObject error = outcome.outputs().get(0).getAsJsonObject();
        assertEquals("ZeroDivisionError", error.get("ename").getAsString());
    }
}
