package io.spillway.media.relay;

import io.spillway.media.LatchingMode;
import io.spillway.media.SessionListener;
import io.spillway.media.StreamSpec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A relayed call: its streams, latching mode and activity clock. Owned by one {@link RelayLoop};
 * only that loop mutates it. Other threads may read {@link #streams()}, {@link #lastActivityNs()}
 * and the counters for statistics.
 */
public final class RelaySession {
    private static final VarHandle LAST_ACTIVITY;

    static {
        try {
            LAST_ACTIVITY = MethodHandles.lookup()
                .findVarHandle(RelaySession.class, "lastActivityNs", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String key;
    private final long id;
    private final RelayLoop loop;
    private final SessionListener listener;
    private final long createdNs;
    private final int maxPacketBytes;
    private volatile RelayStream[] streams = new RelayStream[0];
    private volatile boolean closed;
    private long lastActivityNs;
    private boolean strictSource;
    private long handoverNs;
    private boolean asymmetric;
    private volatile long rateIntervalNs;
    private volatile long rateToleranceNs;

    public RelaySession(String key, long id, RelayLoop loop, SessionListener listener, long createdNs,
                        int maxPacketBytes, LatchingMode latching) {
        this.key = key;
        this.id = id;
        this.loop = loop;
        this.listener = listener;
        this.createdNs = createdNs;
        this.lastActivityNs = createdNs;
        this.maxPacketBytes = maxPacketBytes;
        latching(latching);
    }

    /** Appends a stream (not yet bound). Loop thread only. */
    public RelayStream addStream(StreamSpec spec) {
        RelayStream[] current = streams;
        RelayStream stream = new RelayStream(this, current.length, spec);
        RelayStream[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = stream;
        streams = next;
        return stream;
    }

    /** Drops the last {@code count} streams (used when binding them failed). Loop thread only. */
    public void removeLastStreams(int count) {
        RelayStream[] current = streams;
        streams = Arrays.copyOf(current, current.length - count);
    }

    /** Applies a latching mode. Loop thread only. */
    public void latching(LatchingMode mode) {
        this.strictSource = mode.strictSource();
        this.handoverNs = TimeUnit.MILLISECONDS.toNanos(mode.handoverSilenceMs());
        this.asymmetric = mode.asymmetric();
        for (RelayStream stream : streams) {
            stream.a().rtpEndpoint().onLatchingModeChanged(asymmetric);
            stream.a().rtcpEndpoint().onLatchingModeChanged(asymmetric);
            stream.b().rtpEndpoint().onLatchingModeChanged(asymmetric);
            stream.b().rtcpEndpoint().onLatchingModeChanged(asymmetric);
        }
    }

    void touch(long nowNs) {
        LAST_ACTIVITY.setOpaque(this, nowNs);
    }

    public long lastActivityNs() {
        return (long) LAST_ACTIVITY.getOpaque(this);
    }

    public String key() {
        return key;
    }

    public long id() {
        return id;
    }

    public RelayLoop loop() {
        return loop;
    }

    public SessionListener listener() {
        return listener;
    }

    public long createdNs() {
        return createdNs;
    }

    /**
     * Caps each leg's inbound packets per second (RTP and RTCP together); 0 = no cap. A burst of half
     * a second's packets (at least 10) is absorbed, for jitter buffers flushing and RTCP bunching.
     */
    public void maxPacketsPerSec(int packetsPerSec) {
        if (packetsPerSec < 0) {
            throw new IllegalArgumentException("maxPacketsPerSec must be >= 0: " + packetsPerSec);
        }
        long interval = packetsPerSec == 0 ? 0 : 1_000_000_000L / packetsPerSec;
        rateToleranceNs = interval * Math.max(10, packetsPerSec / 2);
        rateIntervalNs = interval;
    }

    /** Nanoseconds per packet at the cap, 0 = no cap. */
    long rateIntervalNs() {
        return rateIntervalNs;
    }

    long rateToleranceNs() {
        return rateToleranceNs;
    }

    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /** Current streams; the array is replaced, never modified, so any thread may iterate it. */
    public RelayStream[] streams() {
        return streams;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Marks the session ended; packets still in flight are dropped as NO_SESSION. */
    public void markClosed() {
        closed = true;
    }

    boolean isStrictSource() {
        return strictSource;
    }

    long handoverNs() {
        return handoverNs;
    }

    boolean isAsymmetric() {
        return asymmetric;
    }
}
