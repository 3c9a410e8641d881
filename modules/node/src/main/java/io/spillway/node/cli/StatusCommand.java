package io.spillway.node.cli;

import picocli.CommandLine.Command;

/** {@code spillway status}: the node's {@code /health}; exit 0 when serving, 1 when draining or stopping. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Show a running node's state (exit 0 serving, 1 not serving, 69 unreachable).")
final class StatusCommand extends AdminCommand {
    @Override
    String method() {
        return "GET";
    }

    @Override
    String path() {
        return "/health";
    }
}
