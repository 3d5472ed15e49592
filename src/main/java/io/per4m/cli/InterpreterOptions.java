package io.per4m.cli;

import picocli.CommandLine.Option;

/** Which interpreter and which probe group a command is about (doctor, setup). */
final class InterpreterOptions {
    @Option(names = "--python", paramLabel = "PATH", defaultValue = "${env:PER4M_PYTHON:-python3}",
            description = "The interpreter: a path, a venv's python or a name on PATH (pyenv shims are followed). "
                    + "Default: ${DEFAULT-VALUE}.")
    String python;

    @Option(names = "--group", paramLabel = "NAME", defaultValue = "python",
            description = "The probe group. Default: ${DEFAULT-VALUE}.")
    String group;
}
