package io.spillway.node.cli;

import io.spillway.node.config.ConfigException;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.NodeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spillway check-config FILE}: validate a config file, as {@code run} would, without running. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Validate a config file (with any --set overrides); exit 0 if good, 78 if not.")
final class CheckConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "TOML config file.")
    private Path file;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = {"-p", "--print"}, description = "Print the effective config (secrets redacted).")
    private boolean print;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        NodeConfig config;
        try {
            config = ConfigLoader.load(configOptions.source(file));
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("spillway: " + e.getMessage());
            return SpillwayCli.EX_CONFIG;
        }
        spec.commandLine().getOut().println(file + ": ok");
        if (print) {
            spec.commandLine().getOut().print(config);
        }
        return 0;
    }
}
