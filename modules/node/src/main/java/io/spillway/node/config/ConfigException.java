package io.spillway.node.config;

/**
 * A configuration error that names the key, the offending value and the problem, so an operator can
 * fix the file without reading code. The CLI maps it to exit code 78 ({@code EX_CONFIG}).
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;
    private final String problem;

    /**
     * @param key     dotted key, relative to the section that detected the problem
     * @param value   the offending value as written (never a secret), or {@code null} when absent
     * @param problem what is wrong and what would be right
     */
    public ConfigException(String key, String value, String problem) {
        super(format(key, value, problem));
        this.key = key;
        this.value = value;
        this.problem = problem;
    }

    private static String format(String key, String value, String problem) {
        return value == null
            ? "config key '" + key + "': " + problem
            : "config key '" + key + "' = '" + value + "': " + problem;
    }

    /** The same error with {@code section} prepended to the key (the binder adds the path going up). */
    public ConfigException under(String section) {
        if (section.isEmpty()) {
            return this;
        }
        return new ConfigException(key.isEmpty() ? section : section + "." + key, value, problem);
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String problem() {
        return problem;
    }
}
