package io.spillway.node.cli;

import io.spillway.node.config.ConfigException;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.BuildInfo;
import io.spillway.node.lifecycle.NodeAssembly;
import io.spillway.node.lifecycle.SignalHandlers;
import io.spillway.node.lifecycle.SpillwayNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code spillway run}: the daemon, in the foreground, logging to stdout. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = {"Run a node in the foreground until SIGTERM/Ctrl-C (drain, then stop; twice: stop now).",
        "SIGHUP reloads the config file (thresholds and routes)."})
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger("spillway.node");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "TOML config file (default: built-in defaults).")
    private Path configFile;

    @Mixin
    private ConfigOptions configOptions;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "INFO",
        description = "java.util.logging level: SEVERE, WARNING, INFO, FINE, FINER (default: ${DEFAULT-VALUE}).")
    private String logLevel;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> env = System.getenv();
        Level level;
        try {
            level = Level.parse(logLevel.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("spillway: --log-level '" + logLevel + "' is not a level");
            return 2;
        }
        LogSetup.install(level, env);
        ConfigSource source = configOptions.source(configFile);
        NodeConfig config;
        try {
            config = ConfigLoader.load(source);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("spillway: " + e.getMessage());
            return SpillwayCli.EX_CONFIG;
        }
        LOG.info("spillway " + BuildInfo.version() + " starting: node " + config.cluster().nodeId() + ", "
            + (configFile == null ? "built-in defaults" : "config " + configFile.toAbsolutePath())
            + (source.overrides().isEmpty() ? "" : ", " + source.overrides().size() + " --set overrides"));
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("effective config:\n" + config);
        }
        SpillwayNode node = new SpillwayNode(source, config, NodeAssembly.components(config), env);
        Thread hook = new Thread(node::stop, "spillway-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        SignalHandlers.install(node);
        try {
            node.start();
        } catch (Exception e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            // Some settings can only be checked when a component maps them at start (a peer host
            // that does not resolve): still a configuration error, reported like one.
            ConfigException bad = configCause(e);
            if (bad != null) {
                spec.commandLine().getErr().println("spillway: " + bad.getMessage());
                return SpillwayCli.EX_CONFIG;
            }
            spec.commandLine().getErr().println("spillway: start-up failed: " + e);
            return 1;
        }
        node.awaitTermination();
        return 0;
    }

    /** @return the ConfigException in the cause chain of a start-up failure, or null */
    static ConfigException configCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigException c) {
                return c;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
