package io.spillway.node.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Binds a merged config tree to the config records, by reflection over their components: a component
 * {@code udpPort} is the key {@code udp_port}; its Java type decides how the value is read. Every value
 * may also be a string (that is what {@code --set} produces), read with the same rules. Unknown keys,
 * missing keys, wrong types and failed checks become a {@link ConfigException} naming the full key.
 */
final class ConfigBinder {
    private static final Logger LOG = Logger.getLogger("spillway.config");

    private final Path baseDir;

    /** @param baseDir directory that relative file paths (secrets) are resolved against */
    ConfigBinder(Path baseDir) {
        this.baseDir = baseDir;
    }

    <T> T bindRecord(JsonNode node, Class<T> type, String path) {
        if (!node.isObject()) {
            throw new ConfigException(path, text(node), "expected a table");
        }
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byKey = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byKey.put(keyOf(c.getName()), c);
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!byKey.containsKey(key)) {
                throw new ConfigException(join(path, key), text(node.get(key)),
                    "unknown key" + (path.isEmpty() ? "" : " in [" + path + "]") + "; known keys: "
                        + String.join(", ", byKey.keySet()));
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        int i = 0;
        for (Map.Entry<String, RecordComponent> e : byKey.entrySet()) {
            String key = join(path, e.getKey());
            JsonNode value = node.get(e.getKey());
            if (value == null) {
                throw new ConfigException(key, null, "is required");
            }
            args[i] = convert(value, e.getValue().getGenericType(), key);
            types[i] = e.getValue().getType();
            i++;
        }
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce.under(path);
            }
            throw new IllegalStateException("config record " + type.getSimpleName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("config record " + type.getSimpleName() + " is not bindable", e);
        }
    }

    private Object convert(JsonNode value, Type type, String key) {
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return convertList(value, p.getActualTypeArguments()[0], key);
        }
        Class<?> raw = (Class<?>) type;
        try {
            return convertScalar(value, raw, key);
        } catch (ConfigException e) {
            throw e.key().isEmpty() ? e.under(key) : e;
        }
    }

    private List<Object> convertList(JsonNode value, Type elementType, String key) {
        List<Object> out = new ArrayList<>();
        if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                out.add(convert(value.get(i), elementType, key + "." + i));
            }
            return out;
        }
        if (value.isTextual()) {
            if (elementType instanceof Class<?> c && c.isRecord() && c != HostPort.class) {
                throw new ConfigException(key, value.asText(),
                    "is a list of tables; set one field at a time, e.g. " + key + ".0.<field>=...");
            }
            String text = value.asText().trim();
            if (text.isEmpty()) {
                return out;
            }
            String[] parts = text.split(",");
            for (int i = 0; i < parts.length; i++) {
                out.add(convert(TextNode.valueOf(parts[i].trim()), elementType, key + "." + i));
            }
            return out;
        }
        throw new ConfigException(key, text(value), "expected a list (an array, or comma-separated text)");
    }

    private Object convertScalar(JsonNode value, Class<?> raw, String key) {
        if (raw == int.class || raw == Integer.class) {
            long v = integer(value, key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new ConfigException(key, text(value), "is out of range for an integer");
            }
            return (int) v;
        }
        if (raw == long.class || raw == Long.class) {
            return integer(value, key);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            if (value.isBoolean()) {
                return value.booleanValue();
            }
            String t = value.isTextual() ? value.asText().trim() : "";
            if (t.equals("true") || t.equals("false")) {
                return Boolean.parseBoolean(t);
            }
            throw new ConfigException(key, text(value), "expected true or false");
        }
        if (raw == String.class) {
            if (!value.isTextual()) {
                throw new ConfigException(key, text(value), "expected a string (quote it in TOML)");
            }
            return value.asText();
        }
        String t = requireText(value, key, raw);
        if (raw == Duration.class) {
            return ConfigValues.parseDuration(t);
        }
        if (raw == HostPort.class) {
            return HostPort.parse(t.trim());
        }
        if (raw == InetAddress.class) {
            InetAddress a = NetUtil.createInetAddressFromIpAddressString(t.trim());
            if (a == null) {
                throw new ConfigException(key, t, "expected an IP address (IPv4 or IPv6 literal, no host names)");
            }
            return a;
        }
        if (raw == Secret.class) {
            return readSecret(t.trim(), key);
        }
        if (raw.isEnum()) {
            for (Object constant : raw.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(t.trim())) {
                    return constant;
                }
            }
            throw new ConfigException(key, t, "must be one of " + Arrays.stream(raw.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList());
        }
        if (raw.isRecord()) {
            return bindRecord(value, raw, key);
        }
        throw new IllegalStateException("no config binding for " + raw + " at " + key);
    }

    private static String requireText(JsonNode value, String key, Class<?> raw) {
        if (raw.isRecord() && raw != HostPort.class) {
            return "";
        }
        if (!value.isTextual()) {
            String what = raw == Duration.class ? "a duration string such as \"60s\""
                : raw == HostPort.class ? "an address string such as \"127.0.0.1:5060\""
                : raw == InetAddress.class ? "an IP address string such as \"127.0.0.1\""
                : raw == Secret.class ? "a file path string" : "a string";
            throw new ConfigException(key, text(value), "expected " + what);
        }
        return value.asText();
    }

    private static long integer(JsonNode value, String key) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.asText().trim().replace("_", ""));
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new ConfigException(key, text(value), "expected an integer");
    }

    private Secret readSecret(String pathText, String key) {
        if (pathText.isEmpty()) {
            return Secret.NONE;
        }
        Path file = baseDir.resolve(pathText).normalize();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(key, pathText, "cannot read the secret file " + file + ": " + e);
        }
        String s = new String(bytes, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw new ConfigException(key, pathText, "the secret file " + file + " is empty");
        }
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warning("secret file " + file + " (" + key + ") is readable by every user; chmod 0600 or 0640");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
        return new Secret(file, s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code udpPort} → {@code udp_port}. */
    static String keyOf(String componentName) {
        StringBuilder sb = new StringBuilder(componentName.length() + 4);
        for (int i = 0; i < componentName.length(); i++) {
            char c = componentName.charAt(i);
            if (Character.isUpperCase(c)) {
                sb.append('_').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
