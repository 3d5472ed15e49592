package io.per4m.cli;

import io.per4m.UserError;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** The text {@code perf script --ns --no-inline -i FILE} prints for a perf.data file, read as it comes. */
final class PerfScriptText extends FilterInputStream {
    private final Process perf;
    private final Path file;
    private boolean ended;

    private PerfScriptText(Process perf, Path file) {
        super(perf.getInputStream());
        this.perf = perf;
        this.file = file;
    }

    static InputStream of(Path perfData) {
        try {
            Process perf = new ProcessBuilder("perf", "script", "--ns", "--no-inline", "-i", perfData.toString())
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            perf.getOutputStream().close();
            return new PerfScriptText(perf, perfData);
        } catch (IOException e) {
            throw new UserError("cannot run perf script on " + perfData + " (is perf installed?): " + e.getMessage());
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        ended |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        ended |= n < 0;
        return n;
    }

    /** Stops perf if it is not done; a perf that failed on the whole file is an error. */
    @Override
    public void close() throws IOException {
        super.close();
        if (!ended) {
            perf.destroy();
        }
        try {
            int code = perf.waitFor();
            if (ended && code != 0) {
                throw new UserError("perf script -i " + file + " failed (exit code " + code + ")");
            }
        } catch (InterruptedException e) {
            perf.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
