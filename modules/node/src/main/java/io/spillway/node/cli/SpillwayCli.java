package io.spillway.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spillway} command: {@code run} the daemon, {@code check-config}, and talk to a running
 * node ({@code status}, {@code calls}, {@code drain}). Exit codes follow {@code sysexits.h}.
 */
@Command(name = "spillway", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Spillway media relay node.",
    subcommands = {RunCommand.class, CheckConfigCommand.class, StatusCommand.class, CallsCommand.class,
        DrainCommand.class, VersionCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (start-up failed, node not serving)", "2:bad command line",
        "69:admin API unreachable (EX_UNAVAILABLE)", "78:bad configuration (EX_CONFIG)"})
public final class SpillwayCli implements Runnable {
    /** {@code sysexits.h} EX_CONFIG: the configuration is wrong. */
    public static final int EX_CONFIG = 78;
    /** {@code sysexits.h} EX_UNAVAILABLE: the admin API could not be reached. */
    public static final int EX_UNAVAILABLE = 69;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; {@code commandLine().execute(args)} returns the exit code. */
    public static CommandLine commandLine() {
        return new CommandLine(new SpillwayCli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
