package io.per4m.probes;

/**
 * One thing setup looked at.
 *
 * @param status DONE (changed something), UNCHANGED (was fine already), SKIPPED (left alone on purpose),
 *               FAILED (could not fix), TODO (needs root: run {@code command})
 */
public record SetupStep(Status status, String what, String command) {
    public enum Status { DONE, UNCHANGED, SKIPPED, FAILED, TODO }

    public static SetupStep of(Status status, String what) {
        return new SetupStep(status, what, null);
    }
}
