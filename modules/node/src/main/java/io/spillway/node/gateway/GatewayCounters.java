package io.spillway.node.gateway;

import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drop counts by listener and reason, written from any event loop (striped {@link LongAdder}s, no
 * lock), exposed as {@code spillway_gateway_drops_total{listener,reason}} and accepted digest
 * authentications as {@code spillway_gateway_auth_accepted_total}.
 */
public final class GatewayCounters {
    private static final GatewayListener[] LISTENERS = GatewayListener.values();
    private static final GatewayDropReason[] REASONS = GatewayDropReason.values();

    private final LongAdder[] drops = new LongAdder[LISTENERS.length * REASONS.length];
    private final LongAdder authAccepted = new LongAdder();

    public GatewayCounters() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    /** Counts one drop. */
    public void drop(GatewayListener listener, GatewayDropReason reason) {
        drops[listener.ordinal() * REASONS.length + reason.ordinal()].increment();
    }

    /** The drops so far. */
    public long drops(GatewayListener listener, GatewayDropReason reason) {
        return drops[listener.ordinal() * REASONS.length + reason.ordinal()].sum();
    }

    /** Counts one request that passed digest authentication. */
    public void countAuthAccepted() {
        authAccepted.increment();
    }

    /** Requests accepted by digest authentication so far. */
    public long authAccepted() {
        return authAccepted.sum();
    }

    /** Registers every (listener, reason) pair, so dashboards see zeros rather than gaps. */
    public void register(MetricsRegistry metrics) {
        String help = "Datagrams, connections and requests the access gateway dropped or refused, by listener and reason.";
        for (GatewayListener l : LISTENERS) {
            for (GatewayDropReason r : REASONS) {
                LongAdder a = drops[l.ordinal() * REASONS.length + r.ordinal()];
                metrics.counter("spillway_gateway_drops_total", help,
                    Labels.of("listener", l.label(), "reason", r.label()), a::sum);
            }
        }
        metrics.counter("spillway_gateway_auth_accepted_total", "SIP requests that passed digest authentication.",
            Labels.NONE, authAccepted::sum);
    }
}
