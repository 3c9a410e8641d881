package io.spillway.node.systemd;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Pings systemd's watchdog at half of {@code WATCHDOG_USEC}, but only after an empty task has run on
 * every event loop: a wedged loop (a blocking call, a busy spin) stops the pings and systemd restarts
 * the node, rather than a process that looks alive while it relays nothing.
 */
public final class SystemdWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("spillway.systemd");

    private final SdNotifier notifier;
    private final List<EventExecutorGroup> groups;
    private final ScheduledExecutorService timer;

    /** Starts pinging if the notifier has a watchdog interval; otherwise does nothing. */
    public SystemdWatchdog(SdNotifier notifier, List<EventExecutorGroup> groups) {
        this.notifier = notifier;
        this.groups = List.copyOf(groups);
        long intervalNs = notifier.watchdogInterval().toNanos();
        if (intervalNs <= 0) {
            timer = null;
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spillway-watchdog");
            t.setDaemon(true);
            return t;
        });
        long periodNs = intervalNs / 2;
        timer.scheduleAtFixedRate(() -> ping(periodNs / 2), 0, periodNs, TimeUnit.NANOSECONDS);
    }

    private void ping(long budgetNs) {
        try {
            List<Future<?>> probes = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (EventExecutorGroup group : groups) {
                if (group.isShuttingDown()) {
                    continue;
                }
                for (EventExecutor loop : group) {
                    probes.add(loop.submit(() -> { }));
                    names.add(loop.toString());
                }
            }
            long deadlineNs = System.nanoTime() + budgetNs;
            for (int i = 0; i < probes.size(); i++) {
                long leftNs = deadlineNs - System.nanoTime();
                if (!probes.get(i).awaitUninterruptibly(Math.max(0, leftNs), TimeUnit.NANOSECONDS)) {
                    LOG.warning("event loop " + names.get(i) + " did not run a probe within "
                        + TimeUnit.NANOSECONDS.toMillis(budgetNs) + " ms; withholding the watchdog ping");
                    return;
                }
            }
            notifier.notify("WATCHDOG=1");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "watchdog probe failed", e);
        }
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
