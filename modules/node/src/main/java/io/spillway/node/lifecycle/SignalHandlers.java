package io.spillway.node.lifecycle;

import java.util.logging.Logger;
import sun.misc.Signal;

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
        Signal.handle(new Signal("TERM"), s -> node.shutdown("SIGTERM"));
        Signal.handle(new Signal("INT"), s -> node.shutdown("SIGINT"));
        Signal.handle(new Signal("HUP"), s -> {
            LOG.info("SIGHUP: reloading the config");
            node.requestReload();
        });
    }
}
