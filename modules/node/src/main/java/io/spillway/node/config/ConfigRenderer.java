package io.spillway.node.config;

import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Renders a config as sorted-by-schema {@code key = value} lines in the {@code --set} syntax, with
 * secrets shown only by file path. Used by {@code GET /config}, {@code check-config} and the start-up
 * log.
 */
public final class ConfigRenderer {
    private ConfigRenderer() {
    }

    public static String render(NodeConfig config) {
        StringBuilder sb = new StringBuilder(2048);
        renderRecord(sb, "", config);
        return sb.toString();
    }

    private static void renderRecord(StringBuilder sb, String path, Object record) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            String key = path.isEmpty() ? ConfigBinder.keyOf(c.getName()) : path + "." + ConfigBinder.keyOf(c.getName());
            Object value;
            try {
                value = c.getAccessor().invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            renderValue(sb, key, value);
        }
    }

    private static void renderValue(StringBuilder sb, String key, Object value) {
        if (value instanceof List<?> list && !list.isEmpty() && isTable(list.get(0))) {
            for (int i = 0; i < list.size(); i++) {
                renderRecord(sb, key + "." + i, list.get(i));
            }
        } else if (isTable(value)) {
            renderRecord(sb, key, value);
        } else {
            sb.append(key).append(" = ").append(scalar(value)).append('\n');
        }
    }

    private static boolean isTable(Object value) {
        return value instanceof Record && !(value instanceof HostPort);
    }

    static String scalar(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(ConfigRenderer::scalar).collect(Collectors.joining(","));
        }
        if (value instanceof Duration d) {
            return ConfigValues.format(d);
        }
        if (value instanceof InetAddress a) {
            return a.getHostAddress();
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        return String.valueOf(value);
    }
}
