package io.spillway.node.cli;

import picocli.CommandLine.Command;

/** {@code spillway calls}: the node's active calls as JSON. */
@Command(name = "calls", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class, description = "List a running node's active calls (JSON).")
final class CallsCommand extends AdminCommand {
    @Override
    String method() {
        return "GET";
    }

    @Override
    String path() {
        return "/calls";
    }
}
