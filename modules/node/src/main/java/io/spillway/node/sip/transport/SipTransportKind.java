package io.spillway.node.sip.transport;

/** The transport a message came over or is sent on. */
public enum SipTransportKind {
    UDP(true),
    TCP(false);

    private final boolean unreliable;

    SipTransportKind(boolean unreliable) {
        this.unreliable = unreliable;
    }

    /** True when the transaction layer must retransmit (RFC 3261 17: UDP). */
    public boolean isUnreliable() {
        return unreliable;
    }

    /** The Via transport token. */
    public String viaToken() {
        return name();
    }
}
