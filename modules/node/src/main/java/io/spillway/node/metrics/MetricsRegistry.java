package io.spillway.node.metrics;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Named metric families with help text and labelled samples, written out in the Prometheus text
 * exposition format 0.0.4 by {@link #writeTo}. Registration is for start-up; scraping reads the
 * registered callbacks, which must be cheap, thread-safe and non-blocking.
 *
 * <p>Names follow Prometheus conventions, checked here so {@code promtool check metrics} stays clean:
 * counters end in {@code _total}, units are base units in the name ({@code _seconds}, {@code _bytes}).
 */
public final class MetricsRegistry {
    /** The metric types this registry writes. */
    public enum Type { COUNTER, GAUGE, SUMMARY }

    private record Sample(Labels labels, Object source) {
    }

    private record Family(String name, String help, Type type, List<Sample> samples) {
    }

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();

    /** A registry-owned counter without labels. */
    public Counter counter(String name, String help) {
        return counter(name, help, Labels.NONE);
    }

    /** A registry-owned counter with labels. */
    public Counter counter(String name, String help, Labels labels) {
        Counter c = new Counter();
        add(name, help, Type.COUNTER, labels, (LongSupplier) c::get);
        return c;
    }

    /** A counter read from {@code value} at scrape time (a monotonic count the component keeps). */
    public void counter(String name, String help, Labels labels, LongSupplier value) {
        add(name, help, Type.COUNTER, labels, value);
    }

    /** A counter in a fractional unit (e.g. seconds of CPU) read at scrape time. */
    public void counterDouble(String name, String help, Labels labels, DoubleSupplier value) {
        add(name, help, Type.COUNTER, labels, value);
    }

    /** A gauge read at scrape time. */
    public void gauge(String name, String help, Labels labels, DoubleSupplier value) {
        add(name, help, Type.GAUGE, labels, value);
    }

    /** An unlabelled gauge read at scrape time. */
    public void gauge(String name, String help, DoubleSupplier value) {
        add(name, help, Type.GAUGE, Labels.NONE, value);
    }

    /** A summary whose snapshot is taken at scrape time. */
    public void summary(String name, String help, Labels labels, Supplier<SummarySnapshot> value) {
        add(name, help, Type.SUMMARY, labels, value);
    }

    private void add(String name, String help, Type type, Labels labels, Object source) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("bad metric name '" + name + "'");
        }
        if (type == Type.COUNTER && !name.endsWith("_total")) {
            throw new IllegalArgumentException("counter '" + name + "' must end in _total");
        }
        if (type != Type.COUNTER && name.endsWith("_total")) {
            throw new IllegalArgumentException("only counters end in _total: '" + name + "'");
        }
        Family f = families.computeIfAbsent(name, n -> new Family(n, help, type, new CopyOnWriteArrayList<>()));
        if (f.type != type) {
            throw new IllegalArgumentException("metric '" + name + "' is already a " + f.type);
        }
        synchronized (f) {
            for (Sample s : f.samples) {
                if (s.labels.equals(labels)) {
                    throw new IllegalArgumentException("metric '" + name + "' " + labels + " is already registered");
                }
                if (!s.labels.names().equals(labels.names())) {
                    throw new IllegalArgumentException("metric '" + name + "' has labels " + s.labels.names());
                }
            }
            f.samples.add(new Sample(labels, source));
        }
    }

    /** Writes every family in name order, in the text exposition format 0.0.4. */
    public void writeTo(StringBuilder out) {
        for (Family f : families.values()) {
            out.append("# HELP ").append(f.name).append(' ');
            escapeHelp(out, f.help);
            out.append('\n').append("# TYPE ").append(f.name).append(' ')
                .append(f.type.name().toLowerCase(java.util.Locale.ROOT)).append('\n');
            for (Sample s : f.samples) {
                if (f.type == Type.SUMMARY) {
                    writeSummary(out, f.name, s);
                } else {
                    writeLine(out, f.name, s.labels, null, value(s.source));
                }
            }
        }
    }

    private static void writeSummary(StringBuilder out, String name, Sample s) {
        @SuppressWarnings("unchecked")
        SummarySnapshot snap = ((Supplier<SummarySnapshot>) s.source).get();
        for (int i = 0; i < snap.quantiles().length; i++) {
            writeLine(out, name, s.labels, formatDouble(snap.quantiles()[i]), formatDouble(snap.values()[i]));
        }
        writeLine(out, name + "_sum", s.labels, null, formatDouble(snap.sum()));
        writeLine(out, name + "_count", s.labels, null, Long.toString(snap.count()));
    }

    private static String value(Object source) {
        return source instanceof LongSupplier l
            ? Long.toString(l.getAsLong())
            : formatDouble(((DoubleSupplier) source).getAsDouble());
    }

    private static void writeLine(StringBuilder out, String name, Labels labels, String quantile, String value) {
        out.append(name);
        if (!labels.names().isEmpty() || quantile != null) {
            out.append('{');
            for (int i = 0; i < labels.names().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels.names().get(i)).append("=\"");
                escapeLabel(out, labels.values().get(i));
                out.append('"');
            }
            if (quantile != null) {
                out.append(labels.names().isEmpty() ? "" : ",").append("quantile=\"").append(quantile).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static String formatDouble(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static void escapeHelp(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
    }

    private static void escapeLabel(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '"') {
                out.append("\\\"");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
    }
}
