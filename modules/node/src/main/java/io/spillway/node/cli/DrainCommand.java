package io.spillway.node.cli;

import picocli.CommandLine.Command;

/** {@code spillway drain}: stop a running node taking new calls (it keeps running until SIGTERM). */
@Command(name = "drain", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Make a running node take no new calls; active calls continue.",
        "The node keeps running (and /health answers 503) until it is stopped."})
final class DrainCommand extends AdminCommand {
    @Override
    String method() {
        return "POST";
    }

    @Override
    String path() {
        return "/drain";
    }
}
