package io.spillway.media;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.spillway.media.counter.RelayCounters;
import io.spillway.media.port.PortPairAllocator;
import io.spillway.media.relay.DatagramTransport;
import io.spillway.media.relay.LegBinder;
import io.spillway.media.relay.RelayLeg;
import io.spillway.media.relay.RelayLoop;
import io.spillway.media.relay.RelaySession;
import io.spillway.media.relay.RelayStream;
import org.jctools.maps.NonBlockingHashMapLong;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The RTP/RTCP relay engine of a node: owns the relay event loops and port ranges, creates,
 * updates and deletes relay sessions, and exposes lock-free counters and the node's workload.
 *
 * <p>Every control operation returns a future and runs as a task on the session's event loop, so
 * it never races the forwarding of that session's packets and never takes a lock. Statistics
 * getters read counters directly from any thread. Lifecycle: {@link #start()}, then
 * {@link #stop()} (or {@link #close()}).
 *
 * <pre>{@code
 * RelayEngine engine = new RelayEngine(MediaConfig.builder().portRange(30000, 39999).build());
 * engine.start();
 * SessionSpec spec = new SessionSpec(callId + ";" + fromTag, id, List.of(
 *     new StreamSpec(MediaType.AUDIO, 0, new LegSpec(IpFamily.IPV4, false, callerSdpRtp, null),
 *                                        LegSpec.of(IpFamily.IPV4))));
 * engine.createSession(spec, (stats, reason) -> endCall(id, reason))
 *     .thenAccept(ports -> rewriteOffer(ports.stream(0).b()));   // B's ports go to the callee
 * engine.primeRemote(id, 0, Leg.B, calleeSdpRtp, null);         // when the answer arrives
 * engine.deleteSession(id);                                     // on BYE
 * }</pre>
 */
public final class RelayEngine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RelayEngine.class.getName());

    private final MediaConfig config;
    private final LongSupplier clock;
    private final PortPairAllocator ipv4Ports;
    private final PortPairAllocator ipv6Ports;
    private final NonBlockingHashMapLong<RelaySession> sessionsById = new NonBlockingHashMapLong<>();
    private final ConcurrentHashMap<String, RelaySession> sessionsByKey = new ConcurrentHashMap<>();
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicLong sessionsCreated = new AtomicLong();
    private final AtomicLong sessionsTimedOut = new AtomicLong();
    private final AtomicLong socketErrors = new AtomicLong();
    private final AtomicInteger loopCursor = new AtomicInteger();
    private volatile Running running;

    /** Everything that exists only between start and stop. */
    private record Running(MultiThreadIoEventLoopGroup group, RelayLoop[] loops,
                           DatagramTransport transport, LegBinder binder) {
    }

    public RelayEngine(MediaConfig config) {
        this.config = config;
        this.clock = config.nowNs();
        this.ipv4Ports = config.bindIpv4() == null ? null : new PortPairAllocator(
            config.bindIpv4().getHostAddress(), config.portMin(), config.portMax(), config.quarantineMs());
        this.ipv6Ports = config.bindIpv6() == null ? null : new PortPairAllocator(
            config.bindIpv6().getHostAddress(), config.portMin(), config.portMax(), config.quarantineMs());
    }

    /** Starts the event loops and their housekeeping (timeouts, rate windows). */
    public synchronized void start() {
        if (running != null) {
            throw new IllegalStateException("relay engine already started");
        }
        DatagramTransport transport = DatagramTransport.select(config.preferEpoll(),
            config.maxPacketBytes(), config.receiveBatchDatagrams(), config.socketBufferBytes());
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(config.eventLoops(),
            new DefaultThreadFactory("spillway-media", true), transport.ioHandlerFactory());
        List<RelayLoop> loops = new ArrayList<>();
        for (EventExecutor executor : group) {
            loops.add(new RelayLoop(loops.size(), (EventLoop) executor, clock.getAsLong()));
        }
        LegBinder binder = new LegBinder(transport, ipv4Ports, ipv6Ports, config.bindIpv4(),
            config.bindIpv6(), clock, cause -> socketErrors.incrementAndGet());
        running = new Running(group, loops.toArray(new RelayLoop[0]), transport, binder);
        long periodMs = config.housekeepingIntervalMs();
        for (RelayLoop loop : running.loops()) {
            loop.eventLoop().scheduleAtFixedRate(() -> housekeeping(loop), periodMs, periodMs,
                TimeUnit.MILLISECONDS);
        }
        LOG.info(() -> "media relay started: " + config.eventLoops() + " loops, "
            + (transport.isEpoll() ? "epoll" : "nio") + ", ports " + config.portMin() + "-"
            + config.portMax());
    }

    /**
     * Ends every session ({@link CloseReason#ENGINE_STOPPED}, listeners told) and stops the loops.
     */
    public synchronized CompletableFuture<Void> stop() {
        Running r = running;
        if (r == null) {
            return CompletableFuture.completedFuture(null);
        }
        running = null;
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (RelayLoop loop : r.loops()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            closed.add(done);
            try {
                loop.eventLoop().execute(() -> {
                    List<RelaySession> sessions = loop.sessions();
                    for (int i = sessions.size() - 1; i >= 0; i--) {
                        closeSession(r, sessions.get(i), CloseReason.ENGINE_STOPPED);
                    }
                    done.complete(null);
                });
            } catch (RejectedExecutionException e) {
                done.complete(null);
            }
        }
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        CompletableFuture.allOf(closed.toArray(new CompletableFuture<?>[0])).whenComplete((v, t) ->
            r.group().shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> stopped.complete(null)));
        return stopped;
    }

    /** Stops and waits up to 10 s. */
    @Override
    public void close() {
        stop().orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** True when the loops run on native epoll (recvmmsg), false for NIO. */
    public boolean isEpoll() {
        return running().transport().isEpoll();
    }

    public MediaConfig config() {
        return config;
    }

    /**
     * Creates a session on the least-loaded loop and binds its ports.
     *
     * @return the allocated ports; fails with {@link io.spillway.media.port.PortRangeExhaustedException}
     *     when the range is used up, IllegalArgumentException for a duplicate id or key
     */
    public CompletableFuture<SessionPorts> createSession(SessionSpec spec, SessionListener listener) {
        Running r = running;
        if (r == null) {
            return CompletableFuture.failedFuture(notRunning());
        }
        RelayLoop loop = pickLoop(r.loops());
        LatchingMode latching = spec.latching() != null ? spec.latching() : config.latching();
        RelaySession session = new RelaySession(spec.key(), spec.id(), loop,
            listener != null ? listener : SessionListener.NONE, clock.getAsLong(),
            config.maxPacketBytes(), latching);
        session.maxPacketsPerSec(config.maxPacketsPerSec());
        if (sessionsById.putIfAbsent(spec.id(), session) != null) {
            return CompletableFuture.failedFuture(
                new IllegalArgumentException("relay session id " + spec.id() + " already exists"));
        }
        if (sessionsByKey.putIfAbsent(spec.key(), session) != null) {
            sessionsById.remove(spec.id(), session);
            return CompletableFuture.failedFuture(
                new IllegalArgumentException("relay session key " + spec.key() + " already exists"));
        }
        loop.load().incrementAndGet();
        activeSessions.incrementAndGet();
        CompletableFuture<SessionPorts> result = new CompletableFuture<>();
        Runnable create = () -> {
            try {
                if (running != r) {
                    throw new IllegalStateException("relay engine is stopping");
                }
                bindStreams(r, session, spec.streams());
                loop.sessions().add(session);
                sessionsCreated.incrementAndGet();
                result.complete(ports(session));
            } catch (RuntimeException e) {
                closeSession(r, session, CloseReason.DELETED);
                result.completeExceptionally(e);
            }
        };
        try {
            loop.eventLoop().execute(create);
        } catch (RejectedExecutionException e) {
            forget(loop, session);
            result.completeExceptionally(new IllegalStateException("relay engine is stopping", e));
        }
        return result;
    }

    /** Adds streams to a session (a re-INVITE adding video); returns all the session's ports. */
    public CompletableFuture<SessionPorts> addStreams(long sessionId, List<StreamSpec> streams) {
        List<StreamSpec> copy = List.copyOf(streams);
        return onLoop(sessionId, (r, session) -> {
            bindStreams(r, session, copy);
            return ports(session);
        });
    }

    /**
     * Primes a leg's remote addresses from SDP; used for sending until the leg latches (and always
     * in asymmetric mode). {@code rtcp} null means {@code rtp}'s port + 1. An address different
     * from the one primed before resets that endpoint's latch (the party moved its media, as in a
     * re-INVITE): the next packet latches again. Re-priming the same address keeps the latch.
     */
    public CompletableFuture<Void> primeRemote(long sessionId, int streamIndex, Leg leg,
                                               InetSocketAddress rtp, InetSocketAddress rtcp) {
        return onLoop(sessionId, (r, session) -> {
            prime(stream(session, streamIndex).leg(leg), rtp, rtcp);
            return null;
        });
    }

    /** Turns rtcp-mux on or off for one leg; returns the session's ports afterwards. */
    public CompletableFuture<SessionPorts> setRtcpMux(long sessionId, int streamIndex, Leg leg, boolean mux) {
        return onLoop(sessionId, (r, session) -> {
            r.binder().rtcpMux(stream(session, streamIndex).leg(leg), mux);
            return ports(session);
        });
    }

    /** Changes the session's latching mode. */
    public CompletableFuture<Void> setLatchingMode(long sessionId, LatchingMode mode) {
        return onLoop(sessionId, (r, session) -> {
            session.latching(mode);
            return null;
        });
    }

    /** Sets the RTP clock rate of a stream (both directions) for jitter, e.g. 48000 for Opus. */
    public CompletableFuture<Void> setClockRate(long sessionId, int streamIndex, int clockRateHz) {
        if (clockRateHz <= 0) {
            return CompletableFuture.failedFuture(
                new IllegalArgumentException("clockRateHz must be > 0, was " + clockRateHz));
        }
        return onLoop(sessionId, (r, session) -> {
            RelayStream stream = stream(session, streamIndex);
            stream.a().rtpStats().clockRateHz(clockRateHz);
            stream.b().rtpStats().clockRateHz(clockRateHz);
            return null;
        });
    }

    /** Deletes a session, freeing its ports into quarantine; returns its final counters. */
    public CompletableFuture<SessionStats> deleteSession(long sessionId) {
        return onLoop(sessionId, (r, session) -> closeSession(r, session, CloseReason.DELETED));
    }

    /** The id of the live session with {@code key}, or -1. */
    public long sessionId(String key) {
        RelaySession session = sessionsByKey.get(key);
        return session == null ? -1 : session.id();
    }

    /** Counters of a live session, or null when there is none with that id. Any thread. */
    public SessionStats sessionStats(long sessionId) {
        RelaySession session = sessionsById.get(sessionId);
        return session == null ? null : StatsReader.session(session, clock.getAsLong());
    }

    /** Ids of the live sessions (a weakly consistent copy). */
    public long[] sessionIds() {
        List<Long> ids = new ArrayList<>(sessionsById.keySet());
        long[] out = new long[ids.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }

    /** The node's media workload for the cluster; any thread, lock-free. */
    public WorkloadSnapshot workload() {
        long now = clock.getAsLong();
        long bytesIn = 0;
        long bytesOut = 0;
        long packetsIn = 0;
        long packetsOut = 0;
        Running r = running;
        if (r != null) {
            for (RelayLoop loop : r.loops()) {
                bytesIn += loop.counters().get(RelayCounters.BYTES_IN_PER_SEC);
                bytesOut += loop.counters().get(RelayCounters.BYTES_OUT_PER_SEC);
                packetsIn += loop.counters().get(RelayCounters.PACKETS_IN_PER_SEC);
                packetsOut += loop.counters().get(RelayCounters.PACKETS_OUT_PER_SEC);
            }
        }
        int inUse = 0;
        int free = 0;
        for (PortPairAllocator ports : allocators()) {
            inUse += ports.pairsInUse();
            free += ports.pairsFree(now);
        }
        return new WorkloadSnapshot(activeSessions.get(), bytesIn, bytesOut, packetsIn, packetsOut,
            inUse, free);
    }

    /** Node-wide cumulative counters; any thread. */
    public NodeStats nodeStats() {
        long[] sum = new long[RelayCounters.SIZE];
        Running r = running;
        if (r != null) {
            for (RelayLoop loop : r.loops()) {
                StatsReader.accumulate(sum, loop.counters());
            }
        }
        long exhaustions = 0;
        long bindFailures = 0;
        for (PortPairAllocator ports : allocators()) {
            exhaustions += ports.exhaustions();
            bindFailures += ports.bindFailures();
        }
        return new NodeStats(StatsReader.fromSums(sum, null, null), workload(), sessionsCreated.get(),
            sessionsTimedOut.get(), exhaustions, bindFailures, socketErrors.get());
    }

    /**
     * Runs the timeout check and closes the rate window on every loop now, with the engine clock.
     * The loops also do this every {@code housekeepingIntervalMs}; tests with a fake clock call it
     * after advancing the clock.
     */
    public CompletableFuture<Void> runHousekeeping() {
        Running r = running;
        if (r == null) {
            return CompletableFuture.failedFuture(notRunning());
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (RelayLoop loop : r.loops()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            all.add(done);
            loop.eventLoop().execute(() -> {
                housekeeping(loop);
                done.complete(null);
            });
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
    }

    /**
     * Runs {@code task} on the event loop of a session (diagnostics and tests, e.g. reading the
     * loop thread's allocation counter). The task must not block.
     */
    public <T> CompletableFuture<T> callOnSessionLoop(long sessionId, Supplier<T> task) {
        return onLoop(sessionId, (r, session) -> task.get());
    }

    /** The live session object, for tests in this package; null when unknown. */
    RelaySession session(long sessionId) {
        return sessionsById.get(sessionId);
    }

    private void housekeeping(RelayLoop loop) {
        Running r = running;
        if (r == null) {
            return;
        }
        try {
            checkTimeouts(r, loop);
        } catch (RuntimeException e) {
            // An exception would cancel the periodic task for good; log and keep ticking.
            LOG.log(Level.SEVERE, "media housekeeping failed on loop " + loop.index(), e);
        }
    }

    private void checkTimeouts(Running r, RelayLoop loop) {
        long now = clock.getAsLong();
        loop.rollRates(now);
        long inactivityNs = TimeUnit.MILLISECONDS.toNanos(config.inactivityTimeoutMs());
        long maxDurationNs = TimeUnit.MILLISECONDS.toNanos(config.maxDurationMs());
        List<RelaySession> sessions = loop.sessions();
        for (int i = sessions.size() - 1; i >= 0; i--) {
            RelaySession session = sessions.get(i);
            if (now - session.lastActivityNs() - inactivityNs >= 0) {
                sessionsTimedOut.incrementAndGet();
                closeSession(r, session, CloseReason.INACTIVITY_TIMEOUT);
            } else if (maxDurationNs > 0 && now - session.createdNs() - maxDurationNs >= 0) {
                sessionsTimedOut.incrementAndGet();
                closeSession(r, session, CloseReason.MAX_DURATION);
            }
        }
    }

    private void bindStreams(Running r, RelaySession session, List<StreamSpec> specs) {
        int added = 0;
        try {
            for (StreamSpec spec : specs) {
                RelayStream stream = session.addStream(spec);
                added++;
                r.binder().bind(stream.a());
                r.binder().bind(stream.b());
                prime(stream.a(), spec.a().remoteRtp(), spec.a().remoteRtcp());
                prime(stream.b(), spec.b().remoteRtp(), spec.b().remoteRtcp());
            }
        } catch (RuntimeException e) {
            RelayStream[] streams = session.streams();
            for (int i = streams.length - added; i < streams.length; i++) {
                r.binder().close(streams[i].a());
                r.binder().close(streams[i].b());
            }
            session.removeLastStreams(added);
            throw e;
        }
    }

    private static void prime(RelayLeg leg, InetSocketAddress rtp, InetSocketAddress rtcp) {
        if (rtp == null && rtcp == null) {
            return;
        }
        if (rtp != null) {
            leg.rtpEndpoint().prime(rtp);
        }
        InetSocketAddress rtcpAddress = rtcp != null ? rtcp
            : new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        leg.rtcpEndpoint().prime(rtcpAddress);
    }

    private SessionStats closeSession(Running r, RelaySession session, CloseReason reason) {
        if (session.isClosed()) {
            throw new UnknownSessionException(session.id());
        }
        session.markClosed();
        for (RelayStream stream : session.streams()) {
            r.binder().close(stream.a());
            r.binder().close(stream.b());
        }
        session.loop().sessions().remove(session);
        forget(session.loop(), session);
        SessionStats stats = StatsReader.session(session, clock.getAsLong());
        if (reason != CloseReason.DELETED) {
            try {
                session.listener().onSessionClosed(stats, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "session listener failed for " + session.key(), e);
            }
        }
        return stats;
    }

    private void forget(RelayLoop loop, RelaySession session) {
        sessionsById.remove(session.id(), session);
        sessionsByKey.remove(session.key(), session);
        loop.load().decrementAndGet();
        activeSessions.decrementAndGet();
    }

    private <T> CompletableFuture<T> onLoop(long sessionId, SessionTask<T> task) {
        Running r = running;
        if (r == null) {
            return CompletableFuture.failedFuture(notRunning());
        }
        RelaySession session = sessionsById.get(sessionId);
        if (session == null) {
            return CompletableFuture.failedFuture(new UnknownSessionException(sessionId));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            session.loop().eventLoop().execute(() -> {
                try {
                    if (session.isClosed()) {
                        throw new UnknownSessionException(sessionId);
                    }
                    result.complete(task.run(r, session));
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("relay engine is stopping", e));
        }
        return result;
    }

    private static RelayStream stream(RelaySession session, int index) {
        RelayStream[] streams = session.streams();
        if (index < 0 || index >= streams.length) {
            throw new IllegalArgumentException("session " + session.key() + " has no stream " + index
                + " (it has " + streams.length + ")");
        }
        return streams[index];
    }

    private SessionPorts ports(RelaySession session) {
        List<StreamPorts> list = new ArrayList<>();
        for (RelayStream stream : session.streams()) {
            list.add(new StreamPorts(stream.index(), stream.type(), legPorts(stream.a()),
                legPorts(stream.b())));
        }
        return new SessionPorts(session.id(), session.key(), list);
    }

    private LegPorts legPorts(RelayLeg leg) {
        int rtpPort = leg.rtpEndpoint().port();
        int rtcpPort = leg.isRtcpMux() ? rtpPort : leg.rtcpEndpoint().port();
        return new LegPorts(config.advertised(leg.family()), rtpPort, rtcpPort, leg.isRtcpMux());
    }

    private RelayLoop pickLoop(RelayLoop[] loops) {
        int start = Math.floorMod(loopCursor.getAndIncrement(), loops.length);
        RelayLoop best = loops[start];
        for (int i = 1; i < loops.length; i++) {
            RelayLoop candidate = loops[(start + i) % loops.length];
            if (candidate.load().get() < best.load().get()) {
                best = candidate;
            }
        }
        return best;
    }

    private List<PortPairAllocator> allocators() {
        List<PortPairAllocator> list = new ArrayList<>(2);
        if (ipv4Ports != null) {
            list.add(ipv4Ports);
        }
        if (ipv6Ports != null) {
            list.add(ipv6Ports);
        }
        return list;
    }

    private Running running() {
        Running r = running;
        if (r == null) {
            throw notRunning();
        }
        return r;
    }

    private static IllegalStateException notRunning() {
        return new IllegalStateException("relay engine is not running (not started, or stopped)");
    }

    @FunctionalInterface
    private interface SessionTask<T> {
        T run(Running running, RelaySession session);
    }
}
