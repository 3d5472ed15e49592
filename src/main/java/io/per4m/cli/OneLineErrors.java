package io.per4m.cli;

import io.per4m.UserError;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Turns exceptions into one line on stderr; a stack trace only with PER4M_DEBUG=1. */
final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
        if ("1".equals(System.getenv("PER4M_DEBUG"))) {
            ex.printStackTrace();
        }
        String name = cli.getCommandName();
        if (ex instanceof UserError user) {
            cli.getErr().println(name + ": " + user.getMessage());
            return user.exitCode();
        }
        Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (cause instanceof IOException io) {
            cli.getErr().println(name + ": " + io.getMessage());
            return 2;
        }
        cli.getErr().println(name + ": internal error: " + ex + " (run with PER4M_DEBUG=1 for details)");
        return 70;
    }
}
