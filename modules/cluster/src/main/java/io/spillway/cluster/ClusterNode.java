package io.spillway.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One node's membership of the cluster: binds the control UDP port, answers peers' CONNECTs,
 * sends LOAD heartbeats, and places new calls (locally, or along the chain) for the node.
 *
 * <p>Life cycle: {@link #builder} → {@link Builder#start()} (binds, starts timers) →
 * {@link #close()}. All protocol state lives on one Netty event loop; the public methods are safe
 * to call from any thread.
 *
 * <p>Call hand-off, for the node integrator:
 * <ol>
 *   <li>Initial INVITE: {@link #requestPlacement} → {@link Placement}. {@code Local}: create the
 *       call here and consume its token as below. {@code Remote}: answer 302 to its SIP address
 *       with the token. {@code AllBusy}/{@code TimedOut}: 503 with Retry-After.
 *   <li>INVITE carrying a token (redirected here, or a Local placement): first count the call in
 *       {@link WorkloadSource#activeCalls()}, then {@link #consumeReservation}; if that returns
 *       false, uncount it and reject the call (the reservation expired, was used, or never existed).
 *   <li>A placement the node cannot use after all (client gave up): {@link #releaseReservation}.
 * </ol>
 *
 * <p>Futures complete on the control event loop: attach only non-blocking callbacks, or use the
 * {@code *Async} variants.
 */
public final class ClusterNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    private static final long HIGHEST_TRACKABLE_NS = TimeUnit.SECONDS.toNanos(60);
    /** Sweep period for expired reservations. */
    static final long SWEEP_INTERVAL_MS = 100;

    private final ClusterConfig config;
    private final AdmissionGate gate;
    private final ReservationTable reservations;
    private final ClusterCounters counters = new ClusterCounters();
    private final Recorder latencyRecorder = new Recorder(1, HIGHEST_TRACKABLE_NS, 3);
    private final Histogram latencyTotal = new Histogram(1, HIGHEST_TRACKABLE_NS, 3);
    private Histogram latencyInterval;
    private final LongSupplier nanoClock;
    private final LongSupplier epochMsClock;
    private final ControlEndpoint endpoint;
    private final RequestIdGenerator requestIds;
    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Class<? extends DatagramChannel> channelClass;
    private final long startNs;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    private final java.util.function.Predicate<InetSocketAddress> sourceFilter;
    private Channel channel;
    private volatile boolean running;

    private ClusterNode(final Builder b) {
        this.config = b.config;
        this.nanoClock = b.nanoClock;
        this.epochMsClock = b.epochMsClock;
        this.gate = new AdmissionGate(config.thresholds(), b.workload);
        this.reservations = new ReservationTable(config.nodeId(), gate, config.reservationTtlMs() * 1_000_000L,
            counters);
        this.endpoint = new ControlEndpoint(config, counters, gate, reservations, nanoClock, epochMsClock,
            b.filter, latencyRecorder, ControlEndpoint.replayTableCapacity(config));
        this.requestIds = new RequestIdGenerator(config.nodeId());
        this.sourceFilter = b.sourceFilter;
        if (b.group != null) {
            this.ownGroup = null;
            this.loop = b.group.next();
            this.channelClass = b.channelClass;
        } else if (Epoll.isAvailable()) {
            this.ownGroup = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            this.loop = ownGroup.next();
            this.channelClass = EpollDatagramChannel.class;
        } else {
            this.ownGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            this.loop = ownGroup.next();
            this.channelClass = NioDatagramChannel.class;
        }
        this.startNs = nanoClock.getAsLong();
    }

    /**
     * @param config validated cluster settings
     * @param workload the node's measured workload
     * @return a builder; call {@link Builder#start()}
     */
    public static Builder builder(final ClusterConfig config, final WorkloadSource workload) {
        return new Builder(config, workload);
    }

    private void bind() throws InterruptedException {
        final Bootstrap bootstrap = new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(ChannelOption.SO_RCVBUF, 1 << 20)
            .option(ChannelOption.SO_SNDBUF, 1 << 20)
            .handler(new ControlChannelHandler(endpoint, counters, sourceFilter));
        channel = bootstrap.bind(config.effectiveBindAddress()).sync().channel();
        loop.submit(() -> endpoint.attach(new ChannelDatagramSink(channel))).sync();
        final long tickMs = Math.max(1, config.retransmitIntervalMs() / 5);
        timers.add(loop.scheduleAtFixedRate(endpoint::onTick, tickMs, tickMs, TimeUnit.MILLISECONDS));
        timers.add(loop.scheduleAtFixedRate(endpoint::onSweep, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS,
            TimeUnit.MILLISECONDS));
        timers.add(loop.scheduleAtFixedRate(() -> endpoint.onHeartbeat(nextRequestId()), 0,
            config.heartbeatIntervalMs(), TimeUnit.MILLISECONDS));
        timers.add(loop.scheduleAtFixedRate(endpoint::onLivenessCheck, config.heartbeatIntervalMs(),
            config.heartbeatIntervalMs(), TimeUnit.MILLISECONDS));
        running = true;
        LOG.log(System.Logger.Level.INFO, "cluster node {0} listening on {1} ({2} nodes in sequence, {3})",
            Integer.toString(config.nodeId()), channel.localAddress(), config.sequence().size(),
            channelClass.getSimpleName());
    }

    /** Places a new call with the configured per-call demand; see {@link #requestPlacement(CallDemand)}. */
    public CompletableFuture<Placement> requestPlacement() {
        return requestPlacement(config.thresholds().perCallDemand());
    }

    /**
     * Places a new call: on this node if it has room (answered at once, on the calling thread),
     * else along the sequence. The future always completes, at the latest after the chain
     * deadline ({@link Placement.TimedOut}); it completes exceptionally only if the node is not
     * running.
     *
     * @param demand expected demand of the call
     */
    public CompletableFuture<Placement> requestPlacement(final CallDemand demand) {
        Objects.requireNonNull(demand, "demand");
        final CompletableFuture<Placement> future = new CompletableFuture<>();
        if (!running) {
            future.completeExceptionally(new IllegalStateException("cluster node is not running"));
            return future;
        }
        final long nowNs = nanoClock.getAsLong();
        final Reservation local = reservations.tryReserve(demand, nowNs);
        if (local != null) {
            counters.increment(ClusterCounter.RESERVATIONS_MADE);
            counters.increment(ClusterCounter.PLACED_LOCAL);
            latencyRecorder.recordValue(Math.max(0, nanoClock.getAsLong() - nowNs));
            future.complete(new Placement.Local(local));
            return future;
        }
        final long requestId = nextRequestId();
        try {
            loop.execute(() -> endpoint.startChain(requestId, demand, future, nowNs));
        } catch (final RejectedExecutionException closing) {
            future.completeExceptionally(new IllegalStateException("cluster node is stopping", closing));
        }
        return future;
    }

    /**
     * Consumes a reservation of this node when its call arrives. Count the call in
     * {@link WorkloadSource#activeCalls()} before calling this; on false, uncount it and reject.
     *
     * @param token the token from the placement (Local) or the redirected INVITE (Remote)
     * @return true if the token named a live lease here; it is now consumed, a second call fails
     */
    public boolean consumeReservation(final String token) {
        return reservations.consume(token, nanoClock.getAsLong());
    }

    /**
     * Frees a reservation of this node that will not be used.
     *
     * @return true if the token named a live lease here
     */
    public boolean releaseReservation(final String token) {
        return reservations.release(token);
    }

    /** Draining: take no new calls, report FULL and DRAINING in heartbeats. */
    public void setDraining(final boolean draining) {
        gate.setDraining(draining);
    }

    /**
     * Applies new thresholds (SIGHUP reload); takes effect for the next admission and heartbeat.
     * The rest of the cluster config needs a restart.
     */
    public void updateThresholds(final ThresholdConfig thresholds) {
        gate.setThresholds(thresholds);
    }

    /** @return the thresholds in force */
    public ThresholdConfig thresholds() {
        return gate.thresholds();
    }

    /** @return true when this node has no room for one more call (or drains) */
    public boolean isFull() {
        return gate.isFull();
    }

    /** @return live reservations on this node */
    public long reservedCalls() {
        return gate.reservedCalls();
    }

    /** @return every other node of the sequence, in sequence order, as this node sees it */
    public List<PeerStatus> peers() {
        final long nowNs = nanoClock.getAsLong();
        final List<PeerStatus> result = new ArrayList<>();
        final List<PeerSpec> sequence = config.sequence();
        for (int i = 0; i < sequence.size(); i++) {
            final PeerSpec peer = sequence.get(i);
            if (peer.nodeId() == config.nodeId()) {
                continue;
            }
            final ControlEndpoint.PeerState state = endpoint.peerState(i);
            final long ageNs = nowNs - state.lastSeenNs;
            result.add(new PeerStatus(peer, ageNs <= config.peerDeadAfterMs() * 1_000_000L,
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, ageNs)), state.everSeen, state.lastLoad));
        }
        return result;
    }

    /** @return this node's counters (live view) */
    public ClusterCounters counters() {
        return counters;
    }

    /** @return decision latency (placement request → result) in ns since start; a copy */
    public synchronized Histogram decisionLatencyNs() {
        latencyInterval = latencyRecorder.getIntervalHistogram(latencyInterval);
        latencyTotal.add(latencyInterval);
        return latencyTotal.copy();
    }

    /** @return the bound control address */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** @return this node's id */
    public int nodeId() {
        return config.nodeId();
    }

    /** @return the settings */
    public ClusterConfig config() {
        return config;
    }

    /** @return milliseconds since start, on the injected clock */
    public long uptimeMs() {
        return TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startNs);
    }

    /** Stops timers, completes open placements TimedOut, closes the socket. Idempotent. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.submit(() -> {
                for (final ScheduledFuture<?> timer : timers) {
                    timer.cancel(false);
                }
                endpoint.onStop();
            }).sync();
            channel.close().sync();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (ownGroup != null) {
                ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    private long nextRequestId() {
        return requestIds.next();
    }

    /** Assembles and starts a {@link ClusterNode}. */
    public static final class Builder {
        private final ClusterConfig config;
        private final WorkloadSource workload;
        private LongSupplier nanoClock = System::nanoTime;
        private LongSupplier epochMsClock = System::currentTimeMillis;
        private DatagramFilter filter = DatagramFilter.NONE;
        private java.util.function.Predicate<InetSocketAddress> sourceFilter = source -> true;
        private EventLoopGroup group;
        private Class<? extends DatagramChannel> channelClass;

        private Builder(final ClusterConfig config, final WorkloadSource workload) {
            this.config = Objects.requireNonNull(config, "config");
            this.workload = Objects.requireNonNull(workload, "workload");
        }

        /** Injects the monotonic clock (timers, leases) and the wall clock (datagram timestamps). */
        public Builder clocks(final LongSupplier nanoClock, final LongSupplier epochMsClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            this.epochMsClock = Objects.requireNonNull(epochMsClock, "epochMsClock");
            return this;
        }

        /**
         * Inbound network policy: a datagram whose sender this refuses is dropped before its MAC is
         * computed, and not counted here (the policy's owner counts it). Default: every sender.
         */
        public Builder sourceFilter(final java.util.function.Predicate<InetSocketAddress> value) {
            this.sourceFilter = Objects.requireNonNull(value, "sourceFilter");
            return this;
        }

        /** Fault injection on the send path; tests only. */
        public Builder datagramFilter(final DatagramFilter value) {
            this.filter = Objects.requireNonNull(value, "filter");
            return this;
        }

        /**
         * Runs on an event loop of this group instead of a private one-thread group (epoll when
         * available, else NIO). The group is not shut down by {@link ClusterNode#close()}.
         *
         * @param value the group
         * @param datagramChannelClass the datagram channel type that matches the group's transport
         */
        public Builder eventLoopGroup(final EventLoopGroup value,
                                      final Class<? extends DatagramChannel> datagramChannelClass) {
            this.group = Objects.requireNonNull(value, "group");
            this.channelClass = Objects.requireNonNull(datagramChannelClass, "datagramChannelClass");
            return this;
        }

        /**
         * Binds the control socket and starts the timers.
         *
         * @throws IllegalStateException if the port cannot be bound
         */
        public ClusterNode start() {
            final ClusterNode node = new ClusterNode(this);
            try {
                node.bind();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                node.shutdownGroup();
                throw new IllegalStateException("interrupted while binding", e);
            } catch (final Exception e) { // Netty rethrows the checked BindException sneakily
                node.shutdownGroup();
                throw new IllegalStateException("cannot bind control socket " + config.effectiveBindAddress(), e);
            }
            return node;
        }
    }

    private void shutdownGroup() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
