package io.per4m.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.per4m.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the interpreter once and asks it who it is. This sees through pyenv shims (bash scripts that exec the real
 * interpreter) and venv links, and /proc/self/maps shows which libpython the dynamic loader really chose.
 */
public final class PythonInspector {
    private static final String MARKER = "per4m-python-info:";
    // Python 2.7 and 3.x alike: only sys, os, json and sysconfig (distutils on very old versions).
    private static final String SCRIPT = """
            import sys, os, json
            try:
                import sysconfig
                cv = sysconfig.get_config_var
            except ImportError:
                from distutils import sysconfig as _s
                cv = _s.get_config_var
            maps = []
            try:
                with open('/proc/self/maps') as f:
                    for line in f:
                        parts = line.split(None, 5)
                        if len(parts) == 6 and parts[5].startswith('/'):
                            p = parts[5].strip()
                            if p not in maps:
                                maps.append(p)
            except Exception:
                pass
            try:
                exe = os.readlink('/proc/self/exe')
            except Exception:
                exe = None
            def s(v):
                return None if v is None else str(v)
            info = dict(executable=sys.executable, proc_exe=exe,
                        version='%d.%d.%d' % tuple(sys.version_info[:3]),
                        implementation=getattr(getattr(sys, 'implementation', None), 'name', 'cpython'),
                        enable_shared=s(cv('Py_ENABLE_SHARED')), ldlibrary=s(cv('LDLIBRARY')),
                        instsoname=s(cv('INSTSONAME')), libdir=s(cv('LIBDIR')),
                        gil_disabled=s(cv('Py_GIL_DISABLED')), maps=maps)
            sys.stdout.write('%s%s\\n' % (sys.argv[1], json.dumps(info)))
            """;

    private final CommandRunner runner;

    public PythonInspector(CommandRunner runner) {
        this.runner = runner;
    }

    /** @param python a command name looked up on PATH, or a path to an interpreter, shim or venv link */
    public PythonInfo inspect(String python) {
        // -E: ignore PYTHON* variables (PYTHONSTARTUP could print); -S: no site, so a broken site-packages cannot interfere.
        List<String> cmd = List.of(python, "-E", "-S", "-c", SCRIPT, MARKER);
        CommandRunner.Result r = runner.run(cmd, Duration.ofSeconds(60));
        if (r.exitCode() == 127) {
            throw new UserError("cannot run the Python interpreter '" + python + "': " + r.firstErrorLine()
                    + " (give its path with --python)");
        }
        String line = r.stdout().lines().filter(l -> l.startsWith(MARKER)).findFirst().orElse(null);
        if (!r.ok() || line == null) {
            throw new UserError("'" + python + "' did not answer as a Python interpreter: " + r.lastErrorLine());
        }
        try {
            return parse(python, new ObjectMapper().readTree(line.substring(MARKER.length())));
        } catch (IOException e) {
            throw new UserError("'" + python + "' printed an answer per4m cannot read: " + e.getMessage());
        }
    }

    private static PythonInfo parse(String requested, JsonNode j) throws IOException {
        String sysExecutable = text(j, "executable");
        String procExe = text(j, "proc_exe");
        Path executable;
        if (procExe != null && Files.exists(Path.of(procExe))) {
            executable = Path.of(procExe).toRealPath();
        } else if (sysExecutable != null && !sysExecutable.isEmpty()) {
            executable = Path.of(sysExecutable).toRealPath();
        } else {
            throw new UserError("'" + requested + "' does not say where its executable is (sys.executable is empty)");
        }
        List<Path> maps = new ArrayList<>();
        for (JsonNode m : j.path("maps")) {
            maps.add(Path.of(m.asText()));
        }
        Optional<Path> libpython = maps.stream()
                .filter(p -> p.getFileName().toString().startsWith("libpython"))
                .filter(Files::exists)
                .map(PythonInspector::real)
                .findFirst();
        return new PythonInfo(requested, executable, sysExecutable, text(j, "version"), text(j, "implementation"),
                "1".equals(text(j, "enable_shared")), text(j, "ldlibrary"), text(j, "instsoname"), text(j, "libdir"),
                "1".equals(text(j, "gil_disabled")), libpython, List.copyOf(maps));
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    private static String text(JsonNode j, String field) {
        JsonNode n = j.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
