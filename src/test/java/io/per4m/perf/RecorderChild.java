package io.per4m.perf;

import java.nio.file.Path;
import java.util.List;

/** Run in a separate JVM by PerfRecorderTest: attaches a recorder, says perf's pid, then waits to be killed. */
public final class RecorderChild {
    public static void main(String[] args) throws Exception {
        long pid = Long.parseLong(args[0]);
        RecordOptions options = new RecordOptions(true, true, List.of(), args[1]);
        PerfRecorder recorder = PerfRecorder.attach(pid, options, Path.of(args[2]));
        recorder.enable();
        System.out.println("perf " + recorder.perfPid() + " " + recorder.workDir());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
