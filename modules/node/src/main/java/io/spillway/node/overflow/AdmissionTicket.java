package io.spillway.node.overflow;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted call that is not yet visible in the relay's counters. From admission until the proxy
 * {@linkplain #close() closes} it, the call counts in the node's workload, so that a concurrent
 * admission cannot take the slot between the reservation being consumed and the call's relay session
 * existing.
 *
 * <p>Close it once the call's relay session exists (the INVITE's offer was anchored), or when the call
 * fails before that. A ticket left open is closed by the node after {@link AdmissionTable#holdMs()},
 * and counted, so a forgotten ticket cannot keep the node full for ever. Closing is idempotent and
 * thread-safe. Counting the call twice for the moment between session creation and close errs on the
 * safe side (the node looks one call busier, never one call emptier).
 */
public final class AdmissionTicket implements AutoCloseable {
    private final AdmissionTable table;
    private final long expiresAtNs;
    private final AtomicBoolean open = new AtomicBoolean(true);

    AdmissionTicket(AdmissionTable table, long expiresAtNs) {
        this.table = table;
        this.expiresAtNs = expiresAtNs;
    }

    /** The call now has its relay session (or failed): it stops counting as pending. */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            table.closed(false);
        }
    }

    /** @return true until closed or expired */
    public boolean isOpen() {
        return open.get();
    }

    long expiresAtNs() {
        return expiresAtNs;
    }

    /** @return true if this call expired it (it was open) */
    boolean expire() {
        if (open.compareAndSet(true, false)) {
            table.closed(true);
            return true;
        }
        return false;
    }
}
