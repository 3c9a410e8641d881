package io.spillway.node.ng;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A test implementation of the {@link NgMediaBackend} SPI that hands out port numbers from a counter
 * and records what the dispatcher asks of it; for dispatcher logic tests that need no packets.
 * (Tests that move packets use the media module's engine through the real adapter.)
 */
final class RecordingMediaBackend implements NgMediaBackend {
    final List<Stream> streams = new ArrayList<>();
    int nextPort = 40_000;
    int failAfter = Integer.MAX_VALUE;

    @Override
    public NgRelayStream openStream(String callId, String mediaType, boolean ipv6) throws NgBackendException {
        if (streams.size() >= failAfter) {
            throw new NgBackendException("no ports left", null);
        }
        Stream s = new Stream(callId, mediaType, nextPort, nextPort + 2);
        nextPort += 4;
        streams.add(s);
        return s;
    }

    @Override
    public long openStreams() {
        return streams.stream().filter(s -> !s.closed).count();
    }

    static final class Stream implements NgRelayStream {
        final String callId;
        final String mediaType;
        final int[] ports;
        final InetSocketAddress[] rtp = new InetSocketAddress[2];
        final InetSocketAddress[] rtcp = new InetSocketAddress[2];
        final boolean[] mux = new boolean[2];
        final NgMediaOptions[] options = new NgMediaOptions[2];
        boolean closed;
        boolean ended;

        Stream(String callId, String mediaType, int portA, int portB) {
            this.callId = callId;
            this.mediaType = mediaType;
            this.ports = new int[] {portA, portB};
        }

        @Override
        public InetAddress advertisedAddress(NgLeg leg) {
            try {
                return InetAddress.getByName("203.0.113.5");
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int localRtpPort(NgLeg leg) {
            return ports[leg.ordinal()];
        }

        @Override
        public int localRtcpPort(NgLeg leg) {
            return ports[leg.ordinal()] + 1;
        }

        @Override
        public void setRemote(NgLeg leg, InetSocketAddress rtpAddress, InetSocketAddress rtcpAddress,
                              boolean rtcpMux, NgMediaOptions opts) {
            rtp[leg.ordinal()] = rtpAddress;
            rtcp[leg.ordinal()] = rtcpAddress;
            mux[leg.ordinal()] = rtcpMux;
            options[leg.ordinal()] = opts;
        }

        @Override
        public NgStreamStats stats(NgLeg leg) {
            return new NgStreamStats(leg.ordinal() + 10, 1000, 0, 0x1234, 1, 250);
        }

        @Override
        public boolean endedByRelay() {
            return ended;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
