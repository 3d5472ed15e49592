package io.per4m.probes;

import java.util.Optional;

/**
 * One doctor finding.
 *
 * @param id      stable key for programs ("perf", "privileges", "tracefs", "interpreter", "gil", "gil_elf", "symbols", "probes")
 * @param status  OK, WARN (works, but worth knowing) or FAIL (GIL tracing will not work until fixed)
 * @param summary what was found, one line
 * @param fix     what to run or do about it
 */
public record Check(String id, Status status, String summary, Optional<String> fix) {
    public enum Status {
        OK("✓"), WARN("!"), FAIL("✗");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    public static Check ok(String id, String summary) {
        return new Check(id, Status.OK, summary, Optional.empty());
    }

    public static Check warn(String id, String summary, String fixOrNull) {
        return new Check(id, Status.WARN, summary, Optional.ofNullable(fixOrNull));
    }

    public static Check fail(String id, String summary, String fix) {
        return new Check(id, Status.FAIL, summary, Optional.of(fix));
    }
}
