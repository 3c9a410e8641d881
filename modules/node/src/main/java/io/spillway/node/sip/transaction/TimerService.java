package io.spillway.node.sip.transaction;

import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** Schedules transaction timers on the loop that owns the transactions; a test can drive time itself. */
public interface TimerService {
    /** A scheduled timer; cancelling one that fired or was cancelled does nothing. */
    interface Timer {
        void cancel();
    }

    Timer schedule(Runnable task, long delayMs);

    /** Timers on a Netty event loop ({@code schedule}: one heap entry per timer, no thread per transaction). */
    static TimerService of(EventLoop loop) {
        return (task, delayMs) -> {
            ScheduledFuture<?> f = loop.schedule(task, delayMs, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }
}
