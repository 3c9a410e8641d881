package io.spillway.cluster;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A cluster node without sockets or threads: the same codec and state machines as
 * {@link ClusterNode}, driven by the caller's clock and transport. For discrete-event simulation
 * of large clusters and for deterministic tests. Not thread-safe: one driver thread calls
 * everything, including {@link #deliver}, {@link #tick}, {@link #heartbeat} and {@link #sweep}, on
 * the schedule it models ({@link #tickIntervalMs()}, the configured heartbeat interval).
 */
public final class VirtualNode {
    private final ClusterConfig config;
    private final AdmissionGate gate;
    private final ReservationTable reservations;
    private final ClusterCounters counters = new ClusterCounters();
    private final Recorder latency = new Recorder(1, TimeUnit.SECONDS.toNanos(3_600), 3);
    private final ControlEndpoint endpoint;
    private final RequestIdGenerator requestIds;
    private final LongSupplier nanoClock;

    private VirtualNode(final ClusterConfig config, final WorkloadSource workload, final LongSupplier nanoClock,
                        final LongSupplier epochMsClock, final DatagramSink sink, final DatagramFilter filter,
                        final int replayTableCapacity) {
        this.config = config;
        this.nanoClock = nanoClock;
        this.gate = new AdmissionGate(config.thresholds(), workload);
        this.reservations = new ReservationTable(config.nodeId(), gate, config.reservationTtlMs() * 1_000_000L,
            counters);
        this.endpoint = new ControlEndpoint(config, counters, gate, reservations, nanoClock, epochMsClock, filter,
            latency, replayTableCapacity);
        this.endpoint.attach(sink);
        this.requestIds = new RequestIdGenerator(config.nodeId());
    }

    /**
     * @param config the node's settings
     * @param workload its workload
     * @param nanoClock simulated monotonic time
     * @param epochMsClock simulated wall clock (datagram timestamps)
     * @param sink the simulated network
     * @param filter fault injection on the send path
     * @param replayTableCapacity initial replay-table slots per generation (small for large
     *     simulations; grows on demand)
     */
    public static VirtualNode create(
            final ClusterConfig config, final WorkloadSource workload, final LongSupplier nanoClock,
            final LongSupplier epochMsClock, final DatagramSink sink, final DatagramFilter filter,
            final int replayTableCapacity) {
        return new VirtualNode(config, workload, nanoClock, epochMsClock, sink, filter, replayTableCapacity);
    }

    /** As {@link #create(ClusterConfig, WorkloadSource, LongSupplier, LongSupplier, DatagramSink, DatagramFilter, int)}
     * with the replay-table size a running node would use. */
    public static VirtualNode create(
            final ClusterConfig config, final WorkloadSource workload, final LongSupplier nanoClock,
            final LongSupplier epochMsClock, final DatagramSink sink, final DatagramFilter filter) {
        return new VirtualNode(config, workload, nanoClock, epochMsClock, sink, filter,
            ControlEndpoint.replayTableCapacity(config));
    }

    /** Same contract as {@link ClusterNode#requestPlacement(CallDemand)}; runs on the caller. */
    public CompletableFuture<Placement> requestPlacement(final CallDemand demand) {
        final CompletableFuture<Placement> future = new CompletableFuture<>();
        final long nowNs = nanoClock.getAsLong();
        final Reservation local = reservations.tryReserve(demand, nowNs);
        if (local != null) {
            counters.increment(ClusterCounter.RESERVATIONS_MADE);
            counters.increment(ClusterCounter.PLACED_LOCAL);
            latency.recordValue(0);
            future.complete(new Placement.Local(local));
            return future;
        }
        endpoint.startChain(requestIds.next(), demand, future, nowNs);
        return future;
    }

    /** Hands a received datagram to the node; the caller keeps ownership of the buffer. */
    public void deliver(final ByteBuf datagram) {
        try {
            endpoint.onDatagram(datagram);
        } catch (final RuntimeException e) {
            counters.increment(ClusterCounter.DROPPED_MALFORMED);
        }
    }

    /** Retransmissions, give-ups, deadlines; call every {@link #tickIntervalMs()}. */
    public void tick() {
        endpoint.onTick();
    }

    /** Sends LOAD to every peer; call every heartbeat interval. */
    public void heartbeat() {
        endpoint.onHeartbeat(requestIds.next());
    }

    /** Frees expired reservations. */
    public void sweep() {
        endpoint.onSweep();
    }

    /** @return the tick period a running node uses for this config */
    public long tickIntervalMs() {
        return Math.max(1, config.retransmitIntervalMs() / 5);
    }

    /** Same as {@link ClusterNode#consumeReservation}. */
    public boolean consumeReservation(final String token) {
        return reservations.consume(token, nanoClock.getAsLong());
    }

    /** Same as {@link ClusterNode#releaseReservation}. */
    public boolean releaseReservation(final String token) {
        return reservations.release(token);
    }

    /** @return live reservations */
    public long reservedCalls() {
        return gate.reservedCalls();
    }

    /** @return whether the node counts itself full */
    public boolean isFull() {
        return gate.isFull();
    }

    /** @return the counters */
    public ClusterCounters counters() {
        return counters;
    }

    /** @return decision latency in simulated ns since the last call */
    public Histogram takeDecisionLatencyNs() {
        return latency.getIntervalHistogram();
    }

    /** @return the settings */
    public ClusterConfig config() {
        return config;
    }
}
