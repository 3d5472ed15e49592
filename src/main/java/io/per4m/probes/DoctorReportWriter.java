package io.per4m.probes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders a {@link DoctorReport} for people (one line per check) and for programs (JSON, used by the Python shim). */
public final class DoctorReportWriter {
    private DoctorReportWriter() {
    }

    public static String text(DoctorReport report) {
        StringBuilder out = new StringBuilder();
        int width = report.checks().stream().mapToInt(c -> c.id().length()).max().orElse(8);
        for (Check c : report.checks()) {
            out.append(c.status().mark()).append(' ').append(pad(c.id(), width)).append("  ").append(c.summary()).append('\n');
            c.fix().ifPresent(f -> out.append("  ").append(" ".repeat(width)).append("  fix: ").append(f).append('\n'));
        }
        long failed = report.checks().stream().filter(c -> c.status() == Check.Status.FAIL).count();
        out.append(report.ready() ? "ready for GIL tracing" : "not ready for GIL tracing: " + failed + " problem" + (failed == 1 ? "" : "s"))
                .append('\n');
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    /**
     * {"ready", "group", "python": {...} | null, "gil_elf": {...} | null, "checks": [{"id","status","summary","fix"}]};
     * status is "ok", "warn" or "fail".
     */
    public static String json(DoctorReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ready", report.ready());
        root.put("requested_python", report.requestedPython());
        root.put("group", report.group());
        root.put("python", report.python().map(DoctorReportWriter::python).orElse(null));
        root.put("gil_elf", report.gilElf().map(DoctorReportWriter::gilElf).orElse(null));
        root.put("checks", report.checks().stream().map(DoctorReportWriter::check).toList());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> python(PythonInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executable", p.executable().toString());
        m.put("sys_executable", p.sysExecutable());
        m.put("version", p.version());
        m.put("implementation", p.implementation());
        m.put("gil_disabled", p.gilDisabled());
        m.put("enable_shared", p.enableShared());
        m.put("mapped_libpython", p.mappedLibpython().map(Path::toString).orElse(null));
        return m;
    }

    private static Map<String, Object> gilElf(GilElf g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", g.file().toString());
        m.put("how", g.how());
        m.put("has_symbols", g.hasSymbols());
        m.put("probe_method", g.probeMethod());
        m.put("located", g.located().filter(l -> !g.hasSymbols()).map(StrippedGilLocator.Located::describe).orElse(null));
        m.put("symbols_in", g.symbolsIn().map(Path::toString).orElse(null));
        m.put("symbol_table", g.symbolTable().isEmpty() ? null : g.symbolTable());
        m.put("debug_info", g.debugInfo());
        m.put("missing", g.missing());
        m.put("build_id", g.buildId().orElse(null));
        m.put("notes", List.copyOf(g.notes()));
        return m;
    }

    private static Map<String, Object> check(Check c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("status", c.status().name().toLowerCase(Locale.ROOT));
        m.put("summary", c.summary());
        m.put("fix", c.fix().orElse(null));
        return m;
    }
}
