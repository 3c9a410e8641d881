package io.spillway.media.relay;

import io.netty.channel.Channel;
import io.spillway.media.LatchingMode;
import io.spillway.media.SessionListener;
import io.spillway.media.StreamSpec;

import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * A one-stream relay session wired to caller-supplied channels, without an engine, sockets or
 * event loop: for benchmarking and testing the forwarding decision ({@link RelayLeg#receive})
 * alone. Single-threaded; the caller's thread plays the event loop.
 */
public final class DetachedRelay {
    private final RelaySession session;
    private final RelayStream stream;

    /**
     * @param spec the stream; its legs' primed remotes become the destinations
     * @param channels four channels for A RTP, A RTCP, B RTP, B RTCP (e.g. EmbeddedChannel)
     */
    public DetachedRelay(StreamSpec spec, LatchingMode latching, int maxPacketBytes, LongSupplier nowNs,
                         Channel... channels) {
        if (channels.length != 4) {
            throw new IllegalArgumentException("need 4 channels, got " + channels.length);
        }
        long now = nowNs.getAsLong();
        RelayLoop loop = new RelayLoop(0, null, now);
        this.session = new RelaySession("detached", 0, loop, SessionListener.NONE, now, maxPacketBytes, latching);
        this.stream = session.addStream(spec);
        stream.a().rtpEndpoint().attach(channels[0], 1);
        stream.a().rtcpEndpoint().attach(channels[1], 2);
        stream.b().rtpEndpoint().attach(channels[2], 3);
        stream.b().rtcpEndpoint().attach(channels[3], 4);
        prime(stream.a(), spec.a().remoteRtp());
        prime(stream.b(), spec.b().remoteRtp());
    }

    private static void prime(RelayLeg leg, InetSocketAddress remote) {
        if (remote != null) {
            leg.rtpEndpoint().prime(remote);
            leg.rtcpEndpoint().prime(remote);
        }
    }

    public RelayLeg a() {
        return stream.a();
    }

    public RelayLeg b() {
        return stream.b();
    }

    public RelaySession session() {
        return session;
    }
}
