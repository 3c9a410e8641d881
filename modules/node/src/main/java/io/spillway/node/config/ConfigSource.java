package io.spillway.node.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a config comes from: an optional file and the {@code --set} overrides applied over it. Kept so
 * a reload (SIGHUP) re-reads the file and re-applies the same overrides.
 *
 * @param file      the TOML file, or {@code null} for the embedded defaults only
 * @param overrides {@code key=value} strings, applied in order
 */
public record ConfigSource(Path file, List<String> overrides) {
    public ConfigSource {
        overrides = List.copyOf(overrides);
    }
}
