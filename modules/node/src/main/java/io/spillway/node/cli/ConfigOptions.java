package io.spillway.node.cli;

import io.spillway.node.config.ConfigSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --set key=value} overrides, shared by {@code run} and {@code check-config}. */
final class ConfigOptions {
    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
        description = "Override a config key (dotted path, e.g. sip.udp_port=5080, cluster.peers.0.id=a). Repeatable.")
    List<String> overrides = new ArrayList<>();

    ConfigSource source(Path file) {
        return new ConfigSource(file, overrides);
    }
}
