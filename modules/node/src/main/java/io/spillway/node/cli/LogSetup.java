package io.spillway.node.cli;

import java.io.PrintStream;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Points {@code java.util.logging} at stdout, one line per record (see {@link OneLineFormatter}). */
public final class LogSetup {
    private LogSetup() {
    }

    public static void install(Level level, Map<String, String> env) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new StdoutHandler(System.out, new OneLineFormatter(env.containsKey("JOURNAL_STREAM")));
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
        // Netty's DEBUG is very chatty; it only matters when chasing Netty itself.
        Logger.getLogger("io.netty").setLevel(level.intValue() < Level.INFO.intValue() ? Level.INFO : level);
    }

    /** Writes whole lines to stdout and flushes each, so the journal sees them at once. */
    private static final class StdoutHandler extends Handler {
        private final PrintStream out;

        StdoutHandler(PrintStream out, OneLineFormatter formatter) {
            this.out = out;
            setFormatter(formatter);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line = getFormatter().format(record);
            synchronized (out) {
                out.print(line);
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
