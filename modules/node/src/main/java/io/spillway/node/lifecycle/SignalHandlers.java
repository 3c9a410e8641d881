package io.spillway.node.lifecycle;

import java.util.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes POSIX signals to the node: TERM and INT drain then stop ({@link SpillwayNode#shutdown}), HUP
 * reloads the config ({@link SpillwayNode#requestReload}).
 *
 * <p>Why {@code sun.misc.Signal} (module {@code jdk.unsupported}, present in every JDK since 9): the
 * JDK has no public API for HUP at all, and its TERM handling runs shutdown hooks and then halts, so
 * a hook would have to block the exit for the whole drain, with no second-signal escape. Handling the
 * signals directly keeps drain on the node's own lifecycle thread.
 */
public final class SignalHandlers {
    private static final Logger LOG = Logger.getLogger("spillway.node");

    private SignalHandlers() {
    }

    public static void install(SpillwayNode node) {
        handle("TERM", s -> node.shutdown("SIGTERM"), "drain and stop");
        handle("INT", s -> node.shutdown("SIGINT"), "drain and stop");
        handle("HUP", s -> {
            LOG.info("SIGHUP: reloading the config");
            node.requestReload();
        }, "config reload");
    }

    /**
     * A signal ignored when the process started (nohup ignores HUP, a shell's background job INT)
     * stays ignored: the JVM does not install the handler and says so only through the return value.
     */
    private static void handle(String name, SignalHandler handler, String what) {
        SignalHandler previous = Signal.handle(new Signal(name), handler);
        if (previous == SignalHandler.SIG_IGN) {
            LOG.warning("SIG" + name + " was ignored when the node started (nohup? a background job?) and stays"
                + " ignored: no " + what + " on SIG" + name + "; start the node with default signal handling");
        }
    }
}
