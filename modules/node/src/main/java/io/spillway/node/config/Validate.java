package io.spillway.node.config;

import java.time.Duration;

/**
 * One-line checks for the compact constructors of the config records. Each throws a {@link
 * ConfigException} whose key is relative to the record; the binder adds the section path.
 */
public final class Validate {
    private Validate() {
    }

    public static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, String.valueOf(value), "must be " + min + "-" + max);
        }
    }

    public static void port(String key, int port) {
        range(key, port, 0, 65535);
    }

    public static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(key, ConfigValues.format(value), "must be greater than 0");
        }
    }

    public static void between(String key, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key, ConfigValues.format(value),
                "must be " + ConfigValues.format(min) + "-" + ConfigValues.format(max));
        }
    }

    public static void notEmpty(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, value, "must not be empty");
        }
    }

    /** Fails when {@code ok} is false, with {@code problem} as the message. */
    public static void check(boolean ok, String key, Object value, String problem) {
        if (!ok) {
            throw new ConfigException(key, String.valueOf(value), problem);
        }
    }
}
