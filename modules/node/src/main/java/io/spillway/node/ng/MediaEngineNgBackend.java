package io.spillway.node.ng;

import io.spillway.media.DirectionStats;
import io.spillway.media.IpFamily;
import io.spillway.media.LatchingMode;
import io.spillway.media.Leg;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaType;
import io.spillway.media.RelayEngine;
import io.spillway.media.SessionListener;
import io.spillway.media.SessionSpec;
import io.spillway.media.SessionStats;
import io.spillway.media.StreamPorts;
import io.spillway.media.StreamSpec;
import io.spillway.media.UnknownSessionException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link NgMediaBackend} over the media module's {@link RelayEngine}: each ng stream (SDP
 * {@code m=} line) is one single-stream relay session, keyed {@code ng:<call-id>#<id>}.
 *
 * <p>The engine's control operations complete on the relay event loops; this adapter waits for them
 * (bounded by {@link #OPERATION_TIMEOUT_MS}) on the ng control thread, which is dedicated to control
 * traffic and serialises ng commands anyway. Relay loops are never blocked.
 */
public final class MediaEngineNgBackend implements NgMediaBackend {
    /** Upper bound of one relay control operation as seen from the ng thread. */
    public static final long OPERATION_TIMEOUT_MS = 2_000;
    /**
     * Session ids of ng streams start here, far above any id the SIP call control hands out, so the
     * two control planes can share one engine.
     */
    public static final long ID_BASE = 1L << 60;
    /** rtpengine's "media handover": re-latch to a new source as soon as the current one pauses. */
    static final long HANDOVER_SILENCE_MS = 1;

    private final RelayEngine engine;
    private final AtomicLong nextId = new AtomicLong(ID_BASE);
    private final AtomicLong open = new AtomicLong();

    /** An adapter over a started engine. */
    public MediaEngineNgBackend(RelayEngine engine) {
        this.engine = engine;
    }

    @Override
    public NgRelayStream openStream(String callId, String mediaType, boolean ipv6) throws NgBackendException {
        long id = nextId.incrementAndGet();
        IpFamily family = ipv6 ? IpFamily.IPV6 : IpFamily.IPV4;
        StreamSpec spec = new StreamSpec(type(mediaType), 0, LegSpec.of(family), LegSpec.of(family));
        EngineStream stream = new EngineStream(id);
        SessionListener listener = (finalStats, reason) -> stream.ended(finalStats);
        StreamPorts ports = await(engine.createSession(new SessionSpec("ng:" + callId + "#" + id, id,
            List.of(spec)), listener)).stream(0);
        stream.ports = ports;
        open.incrementAndGet();
        return stream;
    }

    @Override
    public long openStreams() {
        return open.get();
    }

    private static MediaType type(String mediaType) {
        switch (mediaType.toLowerCase(Locale.ROOT)) {
            case "audio":
                return MediaType.AUDIO;
            case "video":
                return MediaType.VIDEO;
            default:
                return MediaType.OTHER;
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws NgBackendException {
        try {
            return future.get(OPERATION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new NgBackendException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new NgBackendException("relay did not answer within " + OPERATION_TIMEOUT_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NgBackendException("interrupted", e);
        }
    }

    private static Leg leg(NgLeg leg) {
        return leg == NgLeg.A ? Leg.A : Leg.B;
    }

    /** One relay session holding one stream. */
    private final class EngineStream implements NgRelayStream {
        private final long id;
        private volatile StreamPorts ports;
        private volatile SessionStats lastStats;
        private volatile boolean endedByRelay;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        EngineStream(long id) {
            this.id = id;
        }

        void ended(SessionStats finalStats) {
            lastStats = finalStats;
            endedByRelay = true;
            if (closed.compareAndSet(false, true)) {
                open.decrementAndGet();
            }
        }

        @Override
        public InetAddress advertisedAddress(NgLeg leg) {
            return ports.leg(leg(leg)).advertisedAddress();
        }

        @Override
        public int localRtpPort(NgLeg leg) {
            return ports.leg(leg(leg)).rtpPort();
        }

        @Override
        public int localRtcpPort(NgLeg leg) {
            return ports.leg(leg(leg)).rtcpPort();
        }

        @Override
        public void setRemote(NgLeg leg, InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMux,
                              NgMediaOptions options) throws NgBackendException {
            Leg l = leg(leg);
            if (ports.leg(l).rtcpMux() != rtcpMux) {
                ports = await(engine.setRtcpMux(id, 0, l, rtcpMux)).stream(0);
            }
            if (rtp.getAddress() != null && !rtp.getAddress().isAnyLocalAddress()) {
                await(engine.primeRemote(id, 0, l, rtp, rtcpMux ? rtp : rtcp));
            }
            await(engine.setLatchingMode(id, new LatchingMode(options.strictSource(),
                options.mediaHandover() ? HANDOVER_SILENCE_MS : 0, !options.symmetric())));
        }

        @Override
        public NgStreamStats stats(NgLeg leg) {
            SessionStats s = closed.get() ? lastStats : engine.sessionStats(id);
            if (s == null) {
                s = lastStats;
            }
            if (s == null || s.streams().isEmpty()) {
                return NgStreamStats.EMPTY;
            }
            lastStats = s;
            DirectionStats d = leg == NgLeg.A ? s.streams().get(0).aToB() : s.streams().get(0).bToA();
            DirectionStats.RtpStats rtp = d.rtp();
            return new NgStreamStats(d.packetsIn(), d.bytesIn(), d.totalDrops(),
                rtp == null || rtp.received() == 0 ? -1 : rtp.ssrc() & 0xffff_ffffL,
                rtp == null ? 0 : Math.max(0, rtp.lost()), rtp == null ? 0 : rtp.jitterMicros());
        }

        @Override
        public boolean endedByRelay() {
            return endedByRelay;
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open.decrementAndGet();
            try {
                lastStats = await(engine.deleteSession(id));
            } catch (NgBackendException e) {
                if (!(e.getCause() instanceof UnknownSessionException)) {
                    // The engine is stopping or slow; the session ends with it or by its timeout.
                    java.util.logging.Logger.getLogger(MediaEngineNgBackend.class.getName())
                        .fine(() -> "ng stream " + id + " delete: " + e.getMessage());
                }
            }
        }
    }
}
