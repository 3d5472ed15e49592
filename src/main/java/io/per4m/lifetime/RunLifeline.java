package io.per4m.lifetime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What ends a run when the engine dies without cleaning up (SIGKILL, a crash): a {@link PipeWatcher} kills every
 * process of the run (found by the {@link #RUN_ID_ENV} their environment inherits: the target, its children and
 * grandchildren), then removes the run's temp folder, partial outputs and private probe group. Closing it normally
 * ends the watcher without letting it act. perf has a watcher of its own ({@code PerfLifeline}).
 */
public final class RunLifeline implements AutoCloseable {
    /** In the environment of every process of the run, so that they can be found when the engine is gone. */
    public static final String RUN_ID_ENV = "PER4M_RUN_ID";

    private static final String SCRIPT = """
            id=$1; ue=$2; d=; g=; parts=
            while read -r kind value; do
              case $kind in
                dir) d=$value ;;
                probes) g=$value ;;
                parts) parts="$parts$value
            " ;;
              esac
            done
            for pass in 1 2 3; do
              for e in $(grep -lzxF "PER4M_RUN_ID=$id" /proc/[0-9]*/environ 2>/dev/null); do
                p=${e#/proc/}; kill -KILL "${p%/environ}" 2>/dev/null
              done
              sleep 0.1
            done
            [ -n "$d" ] && rm -rf "$d"
            printf '%s' "$parts" | while IFS= read -r prefix; do rm -f -- "$prefix"*.part; done
            if [ -n "$g" ]; then
              i=0
              while grep -q "^[pr]:$g/" "$ue" 2>/dev/null && [ $i -lt 100 ]; do
                for ev in $(sed -n "s|^[pr]:$g/\\([^ ]*\\) .*|\\1|p" "$ue" | sort -u); do
                  echo "-:$g/$ev" >> "$ue" 2>/dev/null
                done
                sleep 0.1; i=$((i+1))
              done
            fi
            """;

    private final String runId;
    private final PipeWatcher watcher;

    private RunLifeline(String runId, PipeWatcher watcher) {
        this.runId = runId;
        this.watcher = watcher;
    }

    /** Starts watching; {@code uprobeEvents} is the tracefs file private probes are removed through. */
    public static RunLifeline watch(Path uprobeEvents) throws IOException {
        String runId = ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime());
        return new RunLifeline(runId, PipeWatcher.start(SCRIPT, "per4m-run-lifeline", runId, uprobeEvents.toString()));
    }

    /** Environment entries for the run's processes. */
    public Map<String, String> environment() {
        return Map.of(RUN_ID_ENV, runId, "PER4M_ENGINE_PID", Long.toString(ProcessHandle.current().pid()));
    }

    /** The run's temp folder, removed if the engine dies. */
    public void removesFolder(Path folder) throws IOException {
        tell("dir " + folder.toAbsolutePath());
    }

    /** Partial outputs ({@code PREFIX*.part}), removed if the engine dies while writing them. */
    public void removesPartials(String prefix) throws IOException {
        if (prefix != null) {
            tell("parts " + prefix);
        }
    }

    /** A private probe group of the run, removed if the engine dies. */
    public void removesProbes(String group) throws IOException {
        tell("probes " + group);
    }

    private void tell(String line) throws IOException {
        watcher.tell(line);
    }

    /** The run cleaned up itself: ends the watcher without letting it act. */
    @Override
    public void close() {
        watcher.close();
    }
}
