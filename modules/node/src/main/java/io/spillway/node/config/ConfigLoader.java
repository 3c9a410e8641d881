package io.spillway.node.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a {@link NodeConfig}: embedded {@code defaults.toml}, then the file (tables merged key by key,
 * arrays replaced), then each {@code --set key=value}, then binding and validation.
 */
public final class ConfigLoader {
    private static final TomlMapper TOML = new TomlMapper();
    private static final String DEFAULTS = "defaults.toml";

    private ConfigLoader() {
    }

    /**
     * @throws ConfigException naming the key, value and problem, or the file and the parse error
     */
    public static NodeConfig load(ConfigSource source) {
        ObjectNode tree = defaults();
        Path baseDir = Path.of("").toAbsolutePath();
        if (source.file() != null) {
            Path file = source.file().toAbsolutePath();
            merge(tree, readFile(file));
            baseDir = file.getParent();
        }
        for (String override : source.overrides()) {
            applyOverride(tree, override);
        }
        return new ConfigBinder(baseDir).bindRecord(tree, NodeConfig.class, "");
    }

    /** The embedded defaults, as a tree (a fresh copy). */
    static ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS + " is missing from the class path");
            }
            return (ObjectNode) TOML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config", file.toString(), "no such file");
        }
        try {
            JsonNode node = TOML.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                return JsonNodeFactory.instance.objectNode();
            }
            return (ObjectNode) node;
        } catch (JacksonException e) {
            throw new ConfigException("--config", file.toString(), "is not valid TOML: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new ConfigException("--config", file.toString(), "cannot be read: " + e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode over) {
        for (Map.Entry<String, JsonNode> e : over.properties()) {
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
                merge(eo, vo);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Applies {@code a.b.c=value} to the tree. List entries are addressed by index
     * ({@code cluster.peers.0.id=a}); the index one past the end appends an entry. The value stays
     * text; the binder types it by the schema.
     */
    static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("--set", override, "expected key=value, e.g. sip.udp_port=5060");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1);
        String[] parts = key.split("\\.", -1);
        JsonNode node = tree;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty()) {
                throw new ConfigException(key, value, "has an empty segment");
            }
            if (node instanceof ObjectNode obj) {
                if (last) {
                    obj.set(part, TextNode.valueOf(value));
                    return;
                }
                JsonNode child = obj.get(part);
                if (child == null) {
                    child = obj.putObject(part);
                }
                node = child;
            } else if (node instanceof ArrayNode arr) {
                int index;
                try {
                    index = Integer.parseInt(part);
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, value, "'" + part + "' must be a list index (0, 1, ...)");
                }
                if (index < 0 || index > arr.size()) {
                    throw new ConfigException(key, value, "index " + index + " is past the end of the list ("
                        + arr.size() + " entries; use " + arr.size() + " to append)");
                }
                if (last) {
                    if (index == arr.size()) {
                        arr.add(TextNode.valueOf(value));
                    } else {
                        arr.set(index, TextNode.valueOf(value));
                    }
                    return;
                }
                if (index == arr.size()) {
                    arr.addObject();
                }
                node = arr.get(index);
            } else {
                throw new ConfigException(key, value, "'" + String.join(".", java.util.Arrays.copyOf(parts, i))
                    + "' is a value, not a table");
            }
        }
    }
}
