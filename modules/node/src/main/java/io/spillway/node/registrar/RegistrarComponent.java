package io.spillway.node.registrar;

import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import io.spillway.node.metrics.Labels;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The registrar as a node component: the {@link Registrar} over an {@link InMemoryLocationStore},
 * built from {@code [registrar]} and {@code sip.domains} at assembly time so the SIP component can
 * be given {@link #registrar()} (REGISTER) and {@link #locationService()} (routing); once started it
 * purges expired bindings every 10 s on a signalling loop and exposes its metrics.
 */
public final class RegistrarComponent implements NodeComponent {
    private static final long PURGE_PERIOD_MS = 10_000;

    private final InMemoryLocationStore store;
    private final Registrar registrar;
    private ScheduledFuture<?> purge;

    public RegistrarComponent(NodeConfig config) {
        LongSupplier nowMs = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        this.store = new InMemoryLocationStore(nowMs);
        this.registrar = new Registrar(store, config.registrar(), config.sip().domains(), nowMs);
    }

    @Override
    public String name() {
        return "registrar";
    }

    @Override
    public void start(NodeContext context) {
        purge = context.eventLoops().signalling().next().scheduleAtFixedRate(store::purgeExpired,
            PURGE_PERIOD_MS, PURGE_PERIOD_MS, TimeUnit.MILLISECONDS);
        context.metrics().gauge("spillway_registrar_bindings", "Registered contacts (not yet purged).",
            store::size);
        context.metrics().counter("spillway_registrar_requests_total", "REGISTER requests answered.",
            Labels.of("result", "ok"), registrar::registered);
        context.metrics().counter("spillway_registrar_requests_total", "REGISTER requests answered.",
            Labels.of("result", "rejected"), registrar::rejected);
    }

    /** The REGISTER handler for the node's domains. */
    public Registrar registrar() {
        return registrar;
    }

    /** The location service the proxy routes with. */
    public LocationService locationService() {
        return store;
    }

    @Override
    public void stop() {
        if (purge != null) {
            purge.cancel(false);
        }
    }
}
