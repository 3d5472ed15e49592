package io.per4m.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GiltracerSwitchesTest {
    @Command
    static final class Holder {
        @Mixin
        GiltracerSwitches switches;
    }

    private static GiltracerSwitches parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.switches;
    }

    @Test
    void defaultsAndTheLastOfAPairWins() {
        GiltracerSwitches none = parse();
        assertTrue(none.gil());
        assertFalse(none.states());
        assertFalse(none.verbose());
        GiltracerSwitches flipped = parse("--no-gil-detect", "--state-detect", "--gil-detect", "--no-state-detect", "-v");
        assertTrue(flipped.gil());
        assertFalse(flipped.states());
        assertTrue(flipped.verbose());
        assertFalse(parse("--gil-detect", "--no-gil-detect").gil());
        assertTrue(parse("--no-state-detect", "--state-detect").states());
    }

    @Test
    void anHtmlNameNamesAllFiles() {
        assertEquals(Path.of("report"), GiltracerSwitches.baseName(Path.of("report.html")));
        assertEquals(Path.of("out/giltracer"), GiltracerSwitches.baseName(Path.of("out/giltracer.html")));
        assertEquals(Path.of("report"), GiltracerSwitches.baseName(Path.of("report")));
        assertEquals(Path.of("run.2"), GiltracerSwitches.baseName(Path.of("run.2")));
        assertEquals(Path.of(".html"), GiltracerSwitches.baseName(Path.of(".html")));
    }
}
