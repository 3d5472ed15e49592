package io.per4m.probes;

import java.util.List;
import java.util.Optional;

/**
 * Everything doctor found, in check order.
 *
 * @param ready true when no check failed: GIL tracing will work
 */
public record DoctorReport(String requestedPython, String group, Optional<PythonInfo> python, Optional<GilElf> gilElf,
                           List<Check> checks, boolean ready) {
    public static DoctorReport of(String requestedPython, String group, Optional<PythonInfo> python, Optional<GilElf> gilElf,
                                  List<Check> checks) {
        boolean ready = checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
        return new DoctorReport(requestedPython, group, python, gilElf, List.copyOf(checks), ready);
    }

    public Optional<Check> check(String id) {
        return checks.stream().filter(c -> c.id().equals(id)).findFirst();
    }
}
