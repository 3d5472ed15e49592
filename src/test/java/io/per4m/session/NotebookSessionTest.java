package io.per4m.session;

import io.per4m.UserError;
import io.per4m.perf.RecordOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NotebookSessionTest {
    private static final RecordOptions GIL = new RecordOptions(true, false, List.of(), null);
    private static final RecordOptions GIL_AND_STATES = new RecordOptions(true, true, List.of(), null);

    /** Records what the facade asks of perf; each window is a file holding its number. Cells cut windows on a thread of their own. */
    static final class FakeRecorder implements Recorder {
        final List<String> calls = new ArrayList<>();
        final Path dir;
        int windows;
        boolean failEnable;
        boolean failLastCut;
        private boolean disabled;

        FakeRecorder(Path dir) {
            this.dir = dir;
        }

        @Override
        public synchronized void enable() throws IOException {
            calls.add("enable");
            disabled = false;
            if (failEnable) {
                throw new IOException("perf is gone");
            }
        }

        @Override
        public synchronized void disable() {
            calls.add("disable");
            disabled = true;
        }

        @Override
        public synchronized Path cutWindow() throws IOException {
            calls.add("cut");
            if (failLastCut && disabled) {
                throw new IOException("perf did not close its window within 5 s");
            }
            return Files.writeString(dir.resolve("perf.data." + ++windows), "window " + windows);
        }

        @Override
        public synchronized void close() {
            calls.add("close");
        }
    }

    private final List<FakeRecorder> attached = new ArrayList<>();
    private final List<RecordOptions> attachOptions = new ArrayList<>();
    private final List<NotebookSession> facades = new ArrayList<>();

    @AfterEach
    void shutDownFacades() {
        facades.forEach(NotebookSession::shutdown);
    }

    /** A conversion that, at the cell's end, reads the texts of the cell's windows (all of them: they ended). */
    private static CellProcessor recordingWindowTexts(List<List<String>> cellsSeen) {
        return new CellProcessor() {
            @Override
            Conversion start(CellInput input) {
                return new Conversion() {
                    @Override
                    public CellOutput finish() throws IOException {
                        List<String> texts = new ArrayList<>();
                        for (Path w = input.windows().next(); w != null; w = input.windows().next()) {
                            texts.add(Files.readString(w));
                        }
                        cellsSeen.add(texts);
                        return new CellOutput(null, null, "{}", "<b>cell</b>", List.of(), 0);
                    }

                    @Override
                    public void abandon() {
                    }
                };
            }
        };
    }

    /** The facade's session handling is under test here; the analysis has tests of its own. */
    private static final CellProcessor ANALYSIS_NOT_UNDER_TEST = recordingWindowTexts(new ArrayList<>());

    private static RecordingHandle start(NotebookSession facade, long pid, RecordOptions options, Path outDir)
            throws IOException {
        return facade.start(new CellRequest(pid, options, null, outDir, null, Set.of(7, 8, 9), false));
    }

    private NotebookSession facade(Path dir, CellProcessor processor) {
        return facade(dir, processor, 3_600_000);
    }

    private NotebookSession facade(Path dir, CellProcessor processor, long windowMillis) {
        RecorderFactory factory = (pid, options, workDir) -> {
            FakeRecorder recorder = new FakeRecorder(dir);
            attached.add(recorder);
            attachOptions.add(options);
            return recorder;
        };
        ProbeCheck allPresent = new ProbeCheck(List.of(), () -> Optional.of(Path.of("/usr/bin/perf"))) {
            @Override
            void check(RecordOptions options, String python) {
            }
        };
        NotebookSession facade = new NotebookSession(factory, processor, allPresent, windowMillis);
        facades.add(facade);
        return facade;
    }

    @Test
    void oneSessionServesManyCellsAndEachCellGetsItsOwnWindows(@TempDir Path dir) throws IOException {
        List<List<String>> cellsSeen = new ArrayList<>();
        NotebookSession facade = facade(dir, recordingWindowTexts(cellsSeen));

        RecordingHandle first = start(facade, 42, GIL, dir.resolve("c1"));
        facade.endCell(first);
        facade.finishCell(first);
        RecordingHandle second = start(facade, 42, GIL, dir.resolve("c2"));
        CellResult result = facade.finishCell(second);

        assertEquals(1, attached.size());
        assertEquals(List.of("enable", "disable", "cut", "enable", "disable", "cut"), attached.get(0).calls);
        assertEquals(List.of(List.of("window 1"), List.of("window 2")), cellsSeen);
        assertTrue(first.firstInSession());
        assertFalse(second.firstInSession());
        assertEquals(2, second.cellIndex());
        assertEquals("<b>cell</b>", result.inlineHtml());
        assertFalse(Files.exists(dir.resolve("perf.data.1")), "processed windows are deleted");
        assertTrue(Files.isDirectory(dir.resolve("c2")));
    }

    @Test
    void aRunningCellIsCutIntoWindowsForItsConversion(@TempDir Path dir) throws Exception {
        List<List<String>> cellsSeen = new ArrayList<>();
        NotebookSession facade = facade(dir, recordingWindowTexts(cellsSeen), 10);
        RecordingHandle cell = start(facade, 42, GIL, dir.resolve("c"));
        Thread.sleep(100);
        facade.finishCell(cell);
        List<String> windows = cellsSeen.get(0);
        assertTrue(windows.size() >= 3, "windows: " + windows);
        for (int i = 0; i < windows.size(); i++) {
            assertEquals("window " + (i + 1), windows.get(i), "in the order perf closed them");
        }
        List<String> calls = attached.get(0).calls;
        int disabled = calls.lastIndexOf("disable");
        assertTrue(disabled > 0 && disabled < calls.size() - 1
                && calls.subList(disabled + 1, calls.size()).stream().allMatch("cut"::equals), "the last cut after disable: " + calls);
    }

    @Test
    void changedOptionsOrProcessReplaceTheSession(@TempDir Path dir) throws IOException {
        NotebookSession facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        facade.finishCell(start(facade, 42, GIL, dir.resolve("a")));
        facade.finishCell(start(facade, 42, GIL_AND_STATES, dir.resolve("b")));
        facade.finishCell(start(facade, 43, GIL_AND_STATES, dir.resolve("c")));

        assertEquals(3, attached.size());
        assertEquals("close", attached.get(0).calls.get(attached.get(0).calls.size() - 1));
        assertTrue(attachOptions.get(1).states());
        assertEquals("python", attachOptions.get(1).probeGroup());
    }

    @Test
    void aDeadPerfIsReportedAndTheNextCellAttachesAgain(@TempDir Path dir) throws IOException {
        NotebookSession facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        facade.finishCell(start(facade, 42, GIL, dir.resolve("a")));
        attached.get(0).failEnable = true;

        IOException error = assertThrows(IOException.class, () -> start(facade, 42, GIL, dir.resolve("b")));
        assertTrue(error.getMessage().contains("perf stopped unexpectedly"), error.getMessage());
        assertFalse(facade.attached());

        RecordingHandle handle = start(facade, 42, GIL, dir.resolve("c"));
        assertTrue(handle.firstInSession());
        assertEquals(2, attached.size());
    }

    @Test
    void aFailedLastCutSaysWhyAndStillReportsTheWindowsBefore(@TempDir Path dir) throws Exception {
        List<List<String>> cellsSeen = new ArrayList<>();
        NotebookSession facade = facade(dir, recordingWindowTexts(cellsSeen), 10);
        RecordingHandle cell = start(facade, 42, GIL, dir.resolve("c"));
        attached.get(0).failLastCut = true;
        Thread.sleep(100);

        IOException error = assertThrows(IOException.class, () -> facade.endCell(cell));
        assertTrue(error.getMessage().startsWith("perf stopped unexpectedly (perf did not close its window within 5 s)"),
                error.getMessage());
        CellResult result = facade.finishCell(cell);

        assertEquals("<b>cell</b>", result.inlineHtml());
        assertTrue(result.messages().get(0).startsWith(error.getMessage()), result.messages()::toString);
        assertTrue(result.messages().get(0).endsWith("the report shows what was recorded up to then"));
        assertFalse(cellsSeen.get(0).isEmpty(), "the windows cut while the cell ran were converted");
        assertFalse(facade.attached(), "the failed session is closed");
        assertTrue(start(facade, 42, GIL, dir.resolve("d")).firstInSession());
    }

    @Test
    void anUnfinishedCellIsDiscardedByTheNext(@TempDir Path dir) throws IOException {
        NotebookSession facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        RecordingHandle abandoned = start(facade, 42, GIL, dir.resolve("a"));
        RecordingHandle next = start(facade, 42, GIL, dir.resolve("n"));

        assertEquals(List.of("enable", "disable", "cut", "enable"), attached.get(0).calls);
        assertThrows(UserError.class, () -> facade.finishCell(abandoned));
        facade.finishCell(next);
    }

    @Test
    void shutdownStopsPerfAndRefusesNewRecordings(@TempDir Path dir) throws IOException {
        NotebookSession facade = facade(dir, ANALYSIS_NOT_UNDER_TEST);
        start(facade, 42, GIL, dir.resolve("a"));
        facade.shutdown();

        assertEquals("close", attached.get(0).calls.get(attached.get(0).calls.size() - 1));
        assertThrows(UserError.class, () -> start(facade, 42, GIL, dir.resolve("b")));
    }

    @Test
    void aStubRecorderBecomesAOneLineUserError(@TempDir Path dir) {
        NotebookSession facade = new NotebookSession((pid, options, workDir) -> {
            throw new UnsupportedOperationException("stub");
        }, new CellProcessor(), new ProbeCheck(List.of(), Optional::empty) {
            @Override
            void check(RecordOptions options, String python) {
            }
        }, 3_600_000);
        UserError error = assertThrows(UserError.class, () -> start(facade, 42, GIL, dir.resolve("a")));
        assertEquals("the perf recorder is not available in this build of per4m", error.getMessage());
    }
}
