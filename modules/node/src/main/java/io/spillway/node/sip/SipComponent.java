package io.spillway.node.sip;

import io.netty.channel.EventLoop;
import io.spillway.node.call.MediaHook;
import io.spillway.node.config.SipConfig;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import io.spillway.node.lifecycle.NodeEventLoops;
import io.spillway.node.overflow.OverflowPolicy;
import io.spillway.node.registrar.LocationService;
import io.spillway.node.registrar.RegisterHandler;
import io.spillway.node.sip.proxy.HostResolver;
import io.spillway.node.sip.proxy.LocalIdentity;
import io.spillway.node.sip.proxy.NoMediaHook;
import io.spillway.node.sip.proxy.SipProxy;
import io.spillway.node.sip.proxy.StaticRoutes;
import io.spillway.node.sip.transaction.TimerService;
import io.spillway.node.sip.transaction.TransactionLayer;
import io.spillway.node.sip.transaction.TransactionTimers;
import io.spillway.node.sip.transport.InboundSink;
import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.node.sip.transport.SipTransport;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The SIP listener of the node: UDP and TCP on every {@code sip.listen} address, the transaction
 * layer and the stateful proxy, all pinned to one signalling event loop (so SIP state needs no
 * locks). Registers the SIP metrics, the active-call count and the {@code /calls} view; reloads the
 * static routes on SIGHUP; on drain refuses new calls with 503 and {@code cluster.retry_after}.
 */
public final class SipComponent implements NodeComponent {
    private static final Logger LOG = Logger.getLogger("spillway.sip");
    private static final long SWEEP_PERIOD_MS = 30_000;

    private final MediaHook mediaHook;
    private final LocationService location;
    private final RegisterHandler registrar;
    private volatile Supplier<OverflowPolicy> overflow;
    private SipTransport transport;
    private TransactionLayer layer;
    private SipProxy proxy;
    private ExecutorService resolver;
    private ScheduledFuture<?> sweep;
    private volatile Predicate<SipDestination> dropFilter;
    private volatile long retryAfterSeconds = 30;
    private volatile HostResolver hostResolver = HostResolver.SYSTEM;
    private volatile io.spillway.node.gateway.Gateway gateway;

    /** A SIP component without media anchoring or registrar (SDP passes through, no bindings). */
    public SipComponent() {
        this(new NoMediaHook(), (user, domain) -> List.of());
    }

    /** A SIP component without a registrar: REGISTER gets 501. */
    public SipComponent(MediaHook mediaHook, LocationService location) {
        this(mediaHook, location, null);
    }

    /**
     * @param mediaHook anchors the SDP of every forwarded message
     * @param location  where initial requests to the node's domains are looked up
     * @param registrar answers REGISTERs for the node's domains, or null
     */
    public SipComponent(MediaHook mediaHook, LocationService location, RegisterHandler registrar) {
        this.mediaHook = mediaHook;
        this.location = location;
        this.registrar = registrar;
    }

    /**
     * Asks the cluster's overflow policy about every initial INVITE (here, 302, forward, 503). The
     * supplier is called at start, after the cluster component started. Set before start.
     */
    public SipComponent overflow(Supplier<OverflowPolicy> policy) {
        this.overflow = policy;
        return this;
    }

    @Override
    public String name() {
        return "sip";
    }

    @Override
    public void start(NodeContext context) throws Exception {
        SipConfig config = context.config().sip();
        NodeEventLoops loops = context.eventLoops();
        EventLoop loop = loops.signalling().next();
        TransactionTimers timers = new TransactionTimers(config.t1().toMillis(), config.t2().toMillis(),
            config.t4().toMillis());
        SinkRelay relay = new SinkRelay();
        transport = new SipTransport(loop, new SipTransport.ChannelClasses(loops.datagramChannel(),
            loops.serverSocketChannel(), loops.socketChannel()), relay, config.trustedLoadBalancers(),
            config.tcpIdleTimeout().toMillis());
        transport.setDropFilter(dropFilter);
        layer = new TransactionLayer(transport::send, TimerService.of(loop), timers);
        SipMetrics metrics = new SipMetrics(context.metrics());
        StaticRoutes routes = new StaticRoutes(context.config().routes());
        resolver = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spillway-sip-dns");
            t.setDaemon(true);
            return t;
        });
        proxy = new SipProxy(layer, transport, new LocalIdentity(transport, config.domains()), location, registrar, routes,
            mediaHook, metrics, loop, TimerService.of(loop), config.timerC().toMillis(), resolver, hostResolver);
        Supplier<OverflowPolicy> policy = overflow;
        if (policy != null) {
            proxy.overflow(policy.get());
        }
        layer.user(proxy);
        io.spillway.node.gateway.Gateway gw = gateway;
        if (gw != null) {
            transport.setAccessControl(gw.sip()::admit, gw.tcpHandlers(io.spillway.node.gateway.GatewayListener.SIP));
            proxy.guard(gw.sip());
        }
        relay.target = layer;
        try {
            transport.bind(config.listen(), config.udpPort(), config.tcpPort());
        } catch (IOException | InterruptedException e) {
            // The node stops only the components that started: release what this one bound.
            stop();
            throw e;
        }
        long earlyLimitNs = TimeUnit.MILLISECONDS.toNanos(config.timerC().toMillis() + timers.timeoutMs());
        SipProxy p = proxy;
        sweep = loop.scheduleAtFixedRate(() -> p.sweepStaleCalls(System.nanoTime(), earlyLimitNs),
            SWEEP_PERIOD_MS, SWEEP_PERIOD_MS, TimeUnit.MILLISECONDS);
        metrics.bind(transport, layer);
        retryAfterSeconds = context.config().cluster().retryAfter().toSeconds();
        context.registerActiveCalls(proxy::activeCalls);
        context.registerCallsView(() -> {
            try {
                return loop.submit(proxy::callsView).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                return List.of();
            }
        });
        context.addConfigListener((previous, current) -> routes.replace(current.routes()));
        LOG.info("SIP listening on UDP " + transport.udpAddresses() + ", TCP " + transport.tcpAddresses());
    }

    /** Test hook: outgoing messages to destinations this accepts are dropped and counted. */
    public void dropFilter(Predicate<SipDestination> filter) {
        this.dropFilter = filter;
        if (transport != null) {
            transport.setDropFilter(filter);
        }
    }

    /** The access gateway (network policy, rate limits, digest authentication); set before start. */
    public void gateway(io.spillway.node.gateway.Gateway gateway) {
        this.gateway = gateway;
    }

    /** Test hook: how next-hop host names are resolved. Set before start. */
    public void hostResolver(HostResolver resolver) {
        this.hostResolver = resolver;
    }

    /** Bound UDP addresses (after start). */
    public List<InetSocketAddress> udpAddresses() {
        return transport.udpAddresses();
    }

    /** Bound TCP addresses (after start). */
    public List<InetSocketAddress> tcpAddresses() {
        return transport.tcpAddresses();
    }

    @Override
    public void drain() {
        if (proxy != null) {
            proxy.drain(retryAfterSeconds);
        }
    }

    @Override
    public void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        if (transport != null) {
            transport.close();
        }
        if (resolver != null) {
            resolver.shutdownNow();
        }
    }

    /**
     * Lets the transport be built before the transaction layer it feeds; every call lands on the loop,
     * and nothing thrown escapes to it.
     */
    private static final class SinkRelay implements InboundSink {
        volatile InboundSink target;

        @Override
        public void onMessage(SipMessage message, SipSource source) {
            try {
                target.onMessage(message, source);
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "unexpected error handling a SIP message from " + source.remote() + ": " + firstLine(message), e);
            }
        }

        private static String firstLine(SipMessage message) {
            String s = message.toString();
            int eol = s.indexOf('\r');
            return eol < 0 ? s : s.substring(0, eol);
        }

        @Override
        public void onParseError(SipParseException error, SipSource source) {
            try {
                target.onParseError(error, source);
            } catch (RuntimeException e) {
                LOG.log(java.util.logging.Level.WARNING, "unexpected error handling a SIP parse error", e);
            }
        }
    }
}
