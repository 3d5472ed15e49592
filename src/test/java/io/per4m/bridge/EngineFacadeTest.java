package io.per4m.bridge;

import io.per4m.cli.UserError;
import io.per4m.perf.RecordOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EngineFacadeTest {
    private static final String GIL = "{\"gil\": true}";

    /** Records what the facade asks of perf; each window is a file holding its number. */
    static final class FakeRecorder implements Recorder {
        final List<String> calls = new ArrayList<>();
        final Path dir;
        int windows;
        boolean failEnable;

        FakeRecorder(Path dir) {
            this.dir = dir;
        }

        @Override
        public void enable() throws IOException {
            calls.add("enable");
            if (failEnable) {
                throw new IOException("perf is gone");
            }
        }

        @Override
        public void disable() {
            calls.add("disable");
        }

        @Override
        public Path cutWindow() throws IOException {
            calls.add("cut");
            return Files.writeString(dir.resolve("perf.data." + ++windows), "window " + windows);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private final List<FakeRecorder> attached = new ArrayList<>();
    private final List<RecordOptions> attachOptions = new ArrayList<>();
    private final List<EngineFacade> facades = new ArrayList<>();

    @AfterEach
    void shutDownFacades() {
        facades.forEach(EngineFacade::shutdown);
    }

    /** The facade's session handling is under test here; the analysis has tests of its own. */
    private static final CellProcessor ANALYSIS_NOT_UNDER_TEST = new CellProcessor() {
        @Override
        CellOutput process(CellInput input) {
            return new CellOutput(null, null, "{}", "<b>cell</b>", List.of(), 0);
        }
    };

    private EngineFacade facade(Path dir, CellProcessor processor) {
        RecorderFactory factory = (pid, options) -> {
            FakeRecorder recorder = new FakeRecorder(dir);
            attached.add(recorder);
            attachOptions.add(options);
            return recorder;
        };
        ProbeCheck allPresent = new ProbeCheck(List.of(), "/usr/bin") {
            @Override
            void check(RecordingOptions options, String python) {
            }
        };
        EngineFacade facade = new EngineFacade(factory, processor, allPresent);
        facades.add(facade);
        return facade;
    }

    @Test
    void oneSessionServesManyCellsAndEachCellGetsItsOwnWindow(@TempDir Path dir) throws IOException {
        List<String> windowsSeen = new ArrayList<>();
        CellProcessor processor = new CellProcessor() {
            @Override
            CellOutput process(CellInput input) throws IOException {
                windowsSeen.add(Files.readString(input.perfData()));
                return new CellOutput(null, null, "{}", "<b>cell</b>", List.of(), 0);
            }
        };
        EngineFacade facade = facade(dir, processor);

        RecordingHandle first = facade.startRecording(42, GIL, null);
        facade.finishCell(first, null, dir.resolve("c1").toString(), List.of(7, 8L, "9"), false);
        RecordingHandle second = facade.startRecording(42, GIL, null);
        CellResult result = facade.finishCell(second, null, dir.resolve("c2").toString(), List.of(), false);

        assertEquals(1, attached.size());
        assertEquals(List.of("enable", "disable", "cut", "enable", "disable", "cut"), attached.get(0).calls);
        assertEquals(List.of("window 1", "window 2"), windowsSeen);
        assertTrue(first.firstInSession());
        assertFalse(second.firstInSession());
        assertEquals(2, second.cellIndex());
        assertEquals("<b>cell</b>", result.inlineHtml());
        assertFalse(Files.exists(dir.resolve("perf.data.1")), "processed windows are deleted");
        assertTrue(Files.isDirectory(dir.resolve("c2")));
    }

    @Test
    void changedOptionsOrProcessReplaceTheSession(@TempDir Path dir) throws IOException {
        EngineFacade facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        facade.finishCell(facade.startRecording(42, GIL, null), null, dir.resolve("a").toString(), null, false);
        facade.finishCell(facade.startRecording(42, "{\"gil\": true, \"states\": true}", null), null,
                dir.resolve("b").toString(), null, false);
        facade.finishCell(facade.startRecording(43, "{\"gil\": true, \"states\": true}", null), null,
                dir.resolve("c").toString(), null, false);

        assertEquals(3, attached.size());
        assertEquals("close", attached.get(0).calls.get(attached.get(0).calls.size() - 1));
        assertTrue(attachOptions.get(1).states());
        assertEquals("python", attachOptions.get(1).probeGroup());
    }

    @Test
    void aDeadPerfIsReportedAndTheNextCellAttachesAgain(@TempDir Path dir) throws IOException {
        EngineFacade facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        facade.finishCell(facade.startRecording(42, GIL, null), null, dir.resolve("a").toString(), null, false);
        attached.get(0).failEnable = true;

        IOException error = assertThrows(IOException.class, () -> facade.startRecording(42, GIL, null));
        assertTrue(error.getMessage().contains("perf stopped unexpectedly"), error.getMessage());
        assertFalse(facade.attached());

        RecordingHandle handle = facade.startRecording(42, GIL, null);
        assertTrue(handle.firstInSession());
        assertEquals(2, attached.size());
    }

    @Test
    void anUnfinishedCellIsDiscardedByTheNext(@TempDir Path dir) throws IOException {
        EngineFacade facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        RecordingHandle abandoned = facade.startRecording(42, GIL, null);
        RecordingHandle next = facade.startRecording(42, GIL, null);

        assertEquals(List.of("enable", "disable", "cut", "enable"), attached.get(0).calls);
        assertThrows(UserError.class, () -> facade.finishCell(abandoned, null, dir.toString(), null, false));
        facade.finishCell(next, null, dir.resolve("n").toString(), null, false);
    }

    @Test
    void shutdownStopsPerfAndRefusesNewRecordings(@TempDir Path dir) throws IOException {
        EngineFacade facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        facade.startRecording(42, GIL, null);
        facade.shutdown();

        assertEquals("close", attached.get(0).calls.get(attached.get(0).calls.size() - 1));
        assertThrows(UserError.class, () -> facade.startRecording(42, GIL, null));
    }

    @Test
    void aStubRecorderBecomesAOneLineUserError(@TempDir Path dir) {
        EngineFacade facade = new EngineFacade((pid, options) -> {
            throw new UnsupportedOperationException("stub");
        }, new CellProcessor(), new ProbeCheck(List.of(), "") {
            @Override
            void check(RecordingOptions options, String python) {
            }
        });
        UserError error = assertThrows(UserError.class, () -> facade.startRecording(42, GIL, null));
        assertEquals("the perf recorder is not available in this build of per4m", error.getMessage());
    }
}
