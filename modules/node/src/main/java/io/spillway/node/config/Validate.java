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

    /**
     * Checks a list of networks ({@code address[/prefix]}, IPv4 or IPv6, no host bits below the prefix);
     * the same rules as {@code io.spillway.node.gateway.Cidr}.
     */
    public static void cidrs(String key, java.util.List<String> networks) {
        for (int i = 0; i < networks.size(); i++) {
            String problem = cidrProblem(networks.get(i));
            if (problem != null) {
                throw new ConfigException(key + "." + i, networks.get(i), problem);
            }
        }
    }

    private static String cidrProblem(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] a = io.netty.util.NetUtil.createByteArrayFromIpAddressString(slash < 0 ? t : t.substring(0, slash));
        if (a == null) {
            return "expected a network: an IPv4 or IPv6 address with an optional /prefix (no host names)";
        }
        int prefix = a.length * 8;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > a.length * 8) {
                return "prefix length must be 0-" + a.length * 8;
            }
            prefix = Integer.parseInt(p);
        }
        for (int bit = prefix; bit < a.length * 8; bit++) {
            if ((a[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                return "has host bits set below the /" + prefix + " prefix (write the network address)";
            }
        }
        return null;
    }
}
