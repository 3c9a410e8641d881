package io.spillway.node.ng;

/**
 * One {@code m=} section of an ng call: its relay stream (absent while the section is disabled) and
 * what each leg negotiated. Owned by the ng control thread.
 */
final class NgCallStream {
    final int index;
    String type;
    String protocol;
    NgRelayStream relay;
    /** Per leg: whether RTP and RTCP share one port towards that leg's party. */
    final boolean[] rtcpMux = new boolean[2];
    /** Per leg: whether the party has given its address (offer or answer seen). */
    final boolean[] remoteKnown = new boolean[2];

    NgCallStream(int index, String type, String protocol) {
        this.index = index;
        this.type = type;
        this.protocol = protocol;
    }

    void close() {
        if (relay != null) {
            relay.close();
            relay = null;
        }
    }
}
