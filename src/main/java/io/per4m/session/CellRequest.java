package io.per4m.session;

import io.per4m.perf.RecordOptions;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One notebook cell to record.
 *
 * @param pid               the kernel's process
 * @param recording         what perf records (cells with equal options share one attached perf session)
 * @param python            the traced interpreter (named in fix-it messages), or null
 * @param outDir            where the cell's files go (made if missing)
 * @param viztracerJson     where viztracer's trace of the cell will be saved, or null
 * @param kernelTids        threads of the kernel itself (heartbeat, IOPub, control, ...), folded into one group
 * @param showKernelThreads show them one by one instead
 */
public record CellRequest(long pid, RecordOptions recording, String python, Path outDir, Path viztracerJson,
                          Set<Integer> kernelTids, boolean showKernelThreads) {
    public CellRequest {
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(outDir, "outDir");
        kernelTids = kernelTids == null ? Set.of() : Set.copyOf(kernelTids);
    }
}
