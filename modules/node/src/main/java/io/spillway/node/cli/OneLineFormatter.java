package io.spillway.node.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One log line per record: {@code INFO  [sip] listening on udp 127.0.0.1:5060}. The component is the
 * logger name after {@code spillway.} ({@code netty} for Netty's own loggers). Under systemd (stdout
 * is the journal, {@code JOURNAL_STREAM} set) the line starts with a {@code <N>} syslog priority,
 * which journald turns into the entry's priority, and carries no timestamp (journald adds its own);
 * on a terminal it starts with a UTC timestamp.
 */
public final class OneLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(ZoneOffset.UTC);

    private final boolean journal;

    /** @param journal true when stdout goes to journald */
    public OneLineFormatter(boolean journal) {
        this.journal = journal;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder sb = new StringBuilder(128);
        int level = record.getLevel().intValue();
        if (journal) {
            sb.append('<').append(syslogPriority(level)).append('>');
        } else {
            sb.append(TIME.format(Instant.ofEpochMilli(record.getMillis()))).append(' ');
        }
        String name = levelName(level);
        sb.append(name).append(" ".repeat(Math.max(1, 6 - name.length())));
        sb.append('[').append(component(record.getLoggerName())).append("] ");
        sb.append(formatMessage(record).replace('\n', ' '));
        if (record.getThrown() != null) {
            StringWriter sw = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append('\n').append(sw.toString().stripTrailing());
        }
        return sb.append('\n').toString();
    }

    static String component(String loggerName) {
        if (loggerName == null || loggerName.isEmpty()) {
            return "jvm";
        }
        if (loggerName.startsWith("spillway.")) {
            return loggerName.substring("spillway.".length());
        }
        if (loggerName.startsWith("io.netty.")) {
            return "netty";
        }
        int dot = loggerName.lastIndexOf('.');
        return dot < 0 ? loggerName : loggerName.substring(dot + 1);
    }

    private static String levelName(int level) {
        if (level >= Level.SEVERE.intValue()) {
            return "ERROR";
        }
        if (level >= Level.WARNING.intValue()) {
            return "WARN";
        }
        if (level >= Level.INFO.intValue()) {
            return "INFO";
        }
        if (level >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    private static int syslogPriority(int level) {
        if (level >= Level.SEVERE.intValue()) {
            return 3;
        }
        if (level >= Level.WARNING.intValue()) {
            return 4;
        }
        if (level >= Level.INFO.intValue()) {
            return 6;
        }
        return 7;
    }
}
