package io.spillway.node.lifecycle;

import io.netty.util.concurrent.EventExecutorGroup;
import io.spillway.node.admin.AdminBackend;
import io.spillway.node.admin.AdminHttpServer;
import io.spillway.node.config.ConfigException;
import io.spillway.node.config.ConfigListener;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.config.PeerConfig;
import io.spillway.node.metrics.Counter;
import io.spillway.node.metrics.JvmMetrics;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import io.spillway.node.systemd.SdNotifier;
import io.spillway.node.systemd.SystemdWatchdog;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Spillway node: owns the config, the shared event loops, the metrics registry, the admin API and
 * the systemd notifier, and runs the {@link NodeComponent}s through {@link NodeState STARTING → SERVING
 * → DRAINING → STOPPED}.
 *
 * <ul>
 *   <li>{@link #drain()} ({@code POST /drain}): take no new calls, keep running.</li>
 *   <li>{@link #shutdown} (SIGTERM, SIGINT): drain, wait until the active calls reach 0 or
 *       {@code lifecycle.drain_timeout} passes, then stop; a second signal stops at once.</li>
 *   <li>{@link #reload()} (SIGHUP): re-read the config source; apply the reloadable parts, or refuse a
 *       bad file and keep the running config.</li>
 * </ul>
 * Lifecycle work runs on one thread ({@code spillway-lifecycle}), so drain, reload and stop never race.
 */
public final class SpillwayNode implements NodeContext {
    private static final Logger LOG = Logger.getLogger("spillway.node");
    private static final int SIGNALLING_THREADS = 2;
    private static final long DRAIN_POLL_MS = 100;

    private final ConfigSource source;
    private final AtomicReference<NodeConfig> config;
    private final List<NodeComponent> components;
    private final Map<String, String> env;
    private final MetricsRegistry metrics = new MetricsRegistry();
    private final AtomicReference<NodeState> state = new AtomicReference<>(NodeState.STARTING);
    private final List<LongSupplier> activeCallCounts = new CopyOnWriteArrayList<>();
    private final List<Supplier<?>> callsViews = new CopyOnWriteArrayList<>();
    private final List<Supplier<?>> clusterViews = new CopyOnWriteArrayList<>();
    private final List<ConfigListener> configListeners = new CopyOnWriteArrayList<>();
    private final List<NodeComponent> started = new ArrayList<>();
    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private final AtomicReference<String> shutdownDuringStart = new AtomicReference<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final ScheduledExecutorService lifecycle;
    private final Counter reloads;
    private final Counter reloadFailures;

    private NodeEventLoops loops;
    private AdminHttpServer admin;
    private SdNotifier notifier;
    private SystemdWatchdog watchdog;
    private ScheduledFuture<?> statusTask;

    /**
     * @param source     where {@code config} came from (a reload re-reads it)
     * @param config     the validated config
     * @param components in start order, usually {@link NodeAssembly#components}
     * @param env        the process environment ({@code NOTIFY_SOCKET}, {@code WATCHDOG_USEC}); injectable
     */
    public SpillwayNode(ConfigSource source, NodeConfig config, List<NodeComponent> components,
                        Map<String, String> env) {
        this.source = source;
        this.config = new AtomicReference<>(config);
        this.components = List.copyOf(components);
        this.env = Map.copyOf(env);
        this.lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "spillway-lifecycle");
            t.setDaemon(true);
            return t;
        });
        this.reloads = metrics.counter("spillway_config_reloads_total", "Config reloads applied (SIGHUP).");
        this.reloadFailures = metrics.counter("spillway_config_reload_failures_total",
            "Config reloads refused because the new config was invalid.");
    }

    /**
     * Starts the admin API, then every component in order; returns when all listeners are bound and
     * the node is {@link NodeState#SERVING}. On failure, stops what started and rethrows.
     */
    public void start() throws Exception {
        NodeConfig cfg = config.get();
        loops = new NodeEventLoops(SIGNALLING_THREADS);
        JvmMetrics.register(metrics);
        registerNodeMetrics();
        notifier = SdNotifier.fromEnvironment(env);
        admin = new AdminHttpServer(cfg.admin(), new Backend());
        for (NodeComponent c : components) {
            if (c instanceof io.spillway.node.gateway.GatewayComponent g) {
                admin.guards(g.gateway().tcpHandlers(io.spillway.node.gateway.GatewayListener.ADMIN));
            }
        }
        try {
            admin.start(loops.admin(), loops.serverSocketChannel());
            for (NodeComponent c : components) {
                Logger.getLogger("spillway." + c.name()).fine("starting");
                c.start(this);
                started.add(c);
            }
        } catch (Exception | Error e) {
            if (e instanceof java.io.IOException || e instanceof io.spillway.node.config.ConfigException) {
                // Bind failures, config errors found at start (they name the key): the message says it all.
                LOG.severe("start-up failed: " + e.getMessage());
            } else {
                LOG.log(Level.SEVERE, "start-up failed: " + e, e);
            }
            stop();
            throw e;
        }
        if (started.isEmpty()) {
            LOG.warning("no components plugged in (NodeAssembly): this build serves the admin API only, no SIP or media");
        }
        state.set(NodeState.SERVING);
        notifier.notify("READY=1\nSTATUS=" + statusLine() + "\nMAINPID=" + ProcessHandle.current().pid());
        if (cfg.lifecycle().watchdog()) {
            watchdog = new SystemdWatchdog(notifier, new ArrayList<EventExecutorGroup>(loops.all()));
        } else if (!notifier.watchdogInterval().isZero()) {
            LOG.warning("systemd asks for watchdog pings but lifecycle.watchdog = false; systemd will kill the node");
        }
        long statusMs = cfg.lifecycle().statusInterval().toMillis();
        statusTask = lifecycle.scheduleAtFixedRate(() -> notifier.notify("STATUS=" + statusLine()),
            statusMs, statusMs, TimeUnit.MILLISECONDS);
        LOG.info("serving: node " + cfg.cluster().nodeId() + ", " + started.size() + " components, admin http://"
            + hostPort(admin.localAddress()));
        String pending = shutdownDuringStart.getAndSet(null);
        if (pending != null) {
            shutdown(pending);
        }
    }

    private void registerNodeMetrics() {
        for (NodeState s : NodeState.values()) {
            metrics.gauge("spillway_node_state", "1 for the state the node is in, 0 for the others.",
                Labels.of("state", s.name().toLowerCase(Locale.ROOT)), () -> state.get() == s ? 1 : 0);
        }
        metrics.gauge("spillway_active_calls", "Active calls, summed over the node's components.",
            this::activeCalls);
        metrics.gauge("spillway_build_info", "Build version, as a label.", Labels.of("version", BuildInfo.version()),
            () -> 1);
    }

    /** Enters {@link NodeState#DRAINING} and tells the components; returns false unless it was serving. */
    public boolean drain() {
        if (!state.compareAndSet(NodeState.SERVING, NodeState.DRAINING)) {
            return false;
        }
        // Components are told before this returns (their drain() must not block), so no new call
        // slips in between the state change and the components taking notice.
        for (NodeComponent c : started) {
            try {
                c.drain();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, c.name() + " failed to drain", e);
            }
        }
        lifecycle.execute(() -> {
            LOG.info("draining: taking no new calls; " + activeCalls() + " active calls");
            notifier.notify("STATUS=" + statusLine());
        });
        return true;
    }

    /**
     * Drains, waits until the active calls reach 0 or the drain timeout passes, then stops. A second
     * call (a second SIGTERM or Ctrl-C) stops at once. Does not block.
     */
    public void shutdown(String reason) {
        if (stopped.get()) {
            return;
        }
        if (state.get() == NodeState.STARTING) {
            // start() picks this up once it has finished (or this call does, if it just finished).
            shutdownDuringStart.set(reason);
            LOG.info(reason + " during start-up: draining once started");
            if (state.get() == NodeState.STARTING || shutdownDuringStart.getAndSet(null) == null) {
                return;
            }
        }
        if (!shutdownRequested.compareAndSet(false, true)) {
            LOG.warning(reason + " again: stopping now with " + activeCalls() + " active calls");
            lifecycle.execute(this::stop);
            return;
        }
        drain();
        Duration timeout = config.get().lifecycle().drainTimeout();
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        LOG.info(reason + ": stopping once " + activeCalls() + " active calls end, at most "
            + timeout.toSeconds() + " s");
        notifier.notify("STOPPING=1\nSTATUS=" + statusLine());
        lifecycle.execute(() -> awaitCallsThenStop(deadlineNs));
    }

    private void awaitCallsThenStop(long deadlineNs) {
        long calls = activeCalls();
        if (calls == 0) {
            LOG.info("drained: no active calls");
            stop();
        } else if (deadlineNs - System.nanoTime() <= 0) {
            LOG.warning("drain timeout: stopping with " + calls + " active calls");
            stop();
        } else if (!stopped.get()) {
            lifecycle.schedule(() -> awaitCallsThenStop(deadlineNs), DRAIN_POLL_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Queues a reload on the lifecycle thread (the SIGHUP handler calls this). */
    public void requestReload() {
        if (!stopped.get()) {
            lifecycle.execute(this::reload);
        }
    }

    /**
     * Re-reads the config source. A bad config is refused (logged, counted) and the running one stays;
     * a good one has its reloadable parts applied and the listeners told.
     *
     * @return true when applied
     */
    public synchronized boolean reload() {
        notifier.notify("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
        try {
            NodeConfig next;
            try {
                next = ConfigLoader.load(source);
            } catch (ConfigException e) {
                reloadFailures.increment();
                LOG.severe("reload refused, keeping the running config: " + e.getMessage());
                return false;
            }
            NodeConfig previous = config.get();
            List<String> restartOnly = previous.restartOnlyChanges(next);
            if (!restartOnly.isEmpty()) {
                LOG.warning("reload: changes to " + String.join(", ", restartOnly) + " take effect only on restart");
            }
            NodeConfig applied = previous.withReloadable(next);
            config.set(applied);
            reloads.increment();
            for (ConfigListener l : configListeners) {
                try {
                    l.onReload(previous, applied);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "reload listener failed", e);
                }
            }
            LOG.info("reloaded: thresholds " + applied.cluster().thresholds() + ", " + applied.routes().size()
                + " routes");
            return true;
        } finally {
            notifier.notify("READY=1\nSTATUS=" + statusLine());
        }
    }

    /** Stops components in reverse order, then the admin API and event loops. Idempotent. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        if (notifier != null) {
            notifier.notify("STOPPING=1");
        }
        if (statusTask != null) {
            statusTask.cancel(false);
        }
        if (watchdog != null) {
            watchdog.close();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            NodeComponent c = started.get(i);
            try {
                c.stop();
            } catch (Exception e) {
                LOG.log(Level.WARNING, c.name() + " failed to stop cleanly", e);
            }
        }
        if (admin != null) {
            admin.stop();
        }
        if (loops != null) {
            loops.close();
        }
        state.set(NodeState.STOPPED);
        if (notifier != null) {
            notifier.close();
        }
        lifecycle.shutdown();
        LOG.info("stopped");
        terminated.countDown();
    }

    /** Blocks until {@link #stop()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Blocks until stopped or {@code timeout}; true when stopped. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The admin API's bound address (its real port when configured with port 0). */
    public InetSocketAddress adminAddress() {
        return admin.localAddress();
    }

    public long activeCalls() {
        long sum = 0;
        for (LongSupplier s : activeCallCounts) {
            sum += s.getAsLong();
        }
        return sum;
    }

    private String statusLine() {
        NodeConfig cfg = config.get();
        long calls = activeCalls();
        long maxCalls = cfg.cluster().thresholds().maxCalls();
        return state.get().name().toLowerCase(Locale.ROOT) + ", " + calls + " active calls"
            + (maxCalls > 0 ? ", load " + (calls * 100 / maxCalls) + "% of max_calls " + maxCalls : "");
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    @Override
    public NodeConfig config() {
        return config.get();
    }

    @Override
    public NodeEventLoops eventLoops() {
        return loops;
    }

    @Override
    public MetricsRegistry metrics() {
        return metrics;
    }

    @Override
    public NodeState state() {
        return state.get();
    }

    @Override
    public void registerActiveCalls(LongSupplier activeCalls) {
        activeCallCounts.add(activeCalls);
    }

    @Override
    public void registerCallsView(Supplier<?> view) {
        callsViews.add(view);
    }

    @Override
    public void registerClusterView(Supplier<?> view) {
        clusterViews.add(view);
    }

    @Override
    public void addConfigListener(ConfigListener listener) {
        configListeners.add(listener);
    }

    /** The admin API's view of this node. */
    private final class Backend implements AdminBackend {
        @Override
        public String state() {
            return state.get().name().toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean isServing() {
            return state.get() == NodeState.SERVING;
        }

        @Override
        public long activeCalls() {
            return SpillwayNode.this.activeCalls();
        }

        @Override
        public NodeConfig config() {
            return config.get();
        }

        @Override
        public MetricsRegistry metrics() {
            return metrics;
        }

        @Override
        public Object callsView() {
            List<Object> all = new ArrayList<>();
            for (Supplier<?> s : callsViews) {
                Object v = s.get();
                if (v instanceof Collection<?> c) {
                    all.addAll(c);
                } else if (v != null) {
                    all.add(v);
                }
            }
            return all;
        }

        @Override
        public Object clusterView() {
            if (!clusterViews.isEmpty()) {
                return clusterViews.get(0).get();
            }
            // No cluster component yet: show the configured sequence, with nothing known about it.
            NodeConfig cfg = config.get();
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("node_id", cfg.cluster().nodeId());
            view.put("mode", cfg.cluster().mode().name().toLowerCase(Locale.ROOT));
            List<Map<String, Object>> peers = new ArrayList<>();
            for (PeerConfig p : cfg.cluster().peers()) {
                Map<String, Object> peer = new LinkedHashMap<>();
                peer.put("id", p.id());
                peer.put("sip", p.sip().toString());
                peer.put("control", p.control().toString());
                peer.put("state", p.id().equals(cfg.cluster().nodeId()) ? "self" : "unknown");
                peers.add(peer);
            }
            view.put("peers", peers);
            return view;
        }

        @Override
        public boolean requestDrain() {
            return drain();
        }

        @Override
        public String version() {
            return BuildInfo.version();
        }
    }
}
