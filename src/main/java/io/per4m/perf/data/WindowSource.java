package io.per4m.perf.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** The perf.data files of one recording (its windows), in time order, each handed over once perf closed it. */
@FunctionalInterface
public interface WindowSource {
    /** The next window, waiting until perf closed it; null once the recording is over. */
    Path next() throws IOException;

    /** Windows that are all there already. */
    static WindowSource of(List<Path> files) {
        Iterator<Path> remaining = List.copyOf(files).iterator();
        return () -> remaining.hasNext() ? remaining.next() : null;
    }
}
