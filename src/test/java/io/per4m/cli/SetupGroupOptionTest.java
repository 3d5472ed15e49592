package io.per4m.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.*;

/** `per4m setup` tells a group the user named from the default one it fell back to (which it never moves silently). */
class SetupGroupOptionTest {
    @Test
    void theGroupCountsAsNamedOnlyWhenGiven() {
        assertFalse(new CommandLine(new SetupCommand()).parseArgs("--python", "x").hasMatchedOption("--group"));
        assertTrue(new CommandLine(new SetupCommand()).parseArgs("--python", "x", "--group", "python").hasMatchedOption("--group"));
        assertTrue(new CommandLine(new SetupCommand()).parseArgs("--python", "x", "--replace").hasMatchedOption("--replace"));
    }
}
