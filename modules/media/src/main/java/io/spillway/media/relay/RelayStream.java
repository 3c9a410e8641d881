package io.spillway.media.relay;

import io.spillway.media.Leg;
import io.spillway.media.MediaType;
import io.spillway.media.StreamSpec;

/** One media stream (SDP m= line) of a session: two legs that forward to each other. */
public final class RelayStream {
    private final RelaySession session;
    private final int index;
    private final MediaType type;
    private final RelayLeg a;
    private final RelayLeg b;

    RelayStream(RelaySession session, int index, StreamSpec spec) {
        this.session = session;
        this.index = index;
        this.type = spec.type();
        int clock = spec.effectiveClockRateHz();
        this.a = new RelayLeg(this, Leg.A, spec.a().family(), spec.a().rtcpMux(), clock);
        this.b = new RelayLeg(this, Leg.B, spec.b().family(), spec.b().rtcpMux(), clock);
        a.peer(b);
        b.peer(a);
    }

    public RelaySession session() {
        return session;
    }

    public int index() {
        return index;
    }

    public MediaType type() {
        return type;
    }

    public RelayLeg leg(Leg leg) {
        return leg == Leg.A ? a : b;
    }

    public RelayLeg a() {
        return a;
    }

    public RelayLeg b() {
        return b;
    }
}
