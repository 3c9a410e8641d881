package io.spillway.node.metrics;

import java.util.List;

/**
 * Label names and values of one sample, in order.
 *
 * @param names  label names ({@code [a-zA-Z_][a-zA-Z0-9_]*}, not starting with {@code __})
 * @param values label values, one per name
 */
public record Labels(List<String> names, List<String> values) {
    /** No labels. */
    public static final Labels NONE = new Labels(List.of(), List.of());

    public Labels {
        names = List.copyOf(names);
        values = List.copyOf(values);
        if (names.size() != values.size()) {
            throw new IllegalArgumentException("labels " + names + " and values " + values + " differ in count");
        }
        for (String n : names) {
            if (!n.matches("[a-zA-Z_][a-zA-Z0-9_]*") || n.startsWith("__") || n.equals("quantile")) {
                throw new IllegalArgumentException("bad label name '" + n + "'");
            }
        }
    }

    /** {@code Labels.of("gc", "G1 Young Generation", "pool", "eden")}. */
    public static Labels of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        String[] names = new String[namesAndValues.length / 2];
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = namesAndValues[2 * i];
            values[i] = namesAndValues[2 * i + 1];
        }
        return new Labels(List.of(names), List.of(values));
    }
}
