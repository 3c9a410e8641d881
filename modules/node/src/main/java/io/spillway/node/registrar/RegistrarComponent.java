package io.spillway.node.registrar;

import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import io.spillway.node.metrics.Labels;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The registrar as a node component: builds the {@link Registrar} over an {@link
 * InMemoryLocationStore} from {@code [registrar]} and {@code sip.domains}, purges expired bindings
 * every 10 s on a signalling loop, and exposes its metrics. Start it before the SIP component, which
 * takes {@link #registrar()} (REGISTER) and {@link #locationService()} (routing).
 */
public final class RegistrarComponent implements NodeComponent {
    private static final long PURGE_PERIOD_MS = 10_000;

    private volatile Registrar registrar;
    private ScheduledFuture<?> purge;

    @Override
    public String name() {
        return "registrar";
    }

    @Override
    public void start(NodeContext context) {
        java.util.function.LongSupplier nowMs = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        InMemoryLocationStore store = new InMemoryLocationStore(nowMs);
        Registrar r = new Registrar(store, context.config().registrar(), context.config().sip().domains(), nowMs);
        registrar = r;
        purge = context.eventLoops().signalling().next().scheduleAtFixedRate(store::purgeExpired,
            PURGE_PERIOD_MS, PURGE_PERIOD_MS, TimeUnit.MILLISECONDS);
        context.metrics().gauge("spillway_registrar_bindings", "Registered contacts (not yet purged).",
            store::size);
        context.metrics().counter("spillway_registrar_requests_total", "REGISTER requests answered.",
            Labels.of("result", "ok"), r::registered);
        context.metrics().counter("spillway_registrar_requests_total", "REGISTER requests answered.",
            Labels.of("result", "rejected"), r::rejected);
    }

    /** The registrar; valid once started. */
    public Registrar registrar() {
        Registrar r = registrar;
        if (r == null) {
            throw new IllegalStateException("registrar has not started");
        }
        return r;
    }

    /** The location service the proxy routes with; valid once started. */
    public LocationService locationService() {
        return registrar().store();
    }

    @Override
    public void stop() {
        if (purge != null) {
            purge.cancel(false);
        }
    }
}
