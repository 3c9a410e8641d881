package io.spillway.cluster.protocol;

/**
 * The message types of the control protocol, as carried in the header's type byte.
 *
 * <p>Plain {@code int} constants rather than an enum so the receive path switches on the wire
 * value directly.
 */
public final class MessageType {
    /** Origin or forwarding hop asks the next node to take a call. */
    public static final int CONNECT = 1;
    /** Hop-by-hop acknowledgement of a CONNECT, ACCEPT, ALL_BUSY or RELEASE. */
    public static final int ACK = 2;
    /** A node reserved a slot; sent straight to the origin. */
    public static final int ACCEPT = 3;
    /** The last node of the sequence is over threshold too; sent to the origin. */
    public static final int ALL_BUSY = 4;
    /** The origin gives back a reservation it can no longer use. */
    public static final int RELEASE = 5;
    /** Periodic workload and liveness heartbeat; never acknowledged. */
    public static final int LOAD = 6;

    /** One past the highest type value. */
    public static final int LIMIT = 7;

    private MessageType() {
    }

    /**
     * @param type a wire type value
     * @return true if the value names a known message type
     */
    public static boolean isKnown(final int type) {
        return type >= CONNECT && type < LIMIT;
    }

    /**
     * @param type a wire type value
     * @return a printable name, {@code "UNKNOWN"} for values outside the protocol
     */
    public static String name(final int type) {
        return switch (type) {
            case CONNECT -> "CONNECT";
            case ACK -> "ACK";
            case ACCEPT -> "ACCEPT";
            case ALL_BUSY -> "ALL_BUSY";
            case RELEASE -> "RELEASE";
            case LOAD -> "LOAD";
            default -> "UNKNOWN";
        };
    }

    /**
     * @param type a known message type
     * @return the exact length of that type's body in bytes
     */
    public static int bodyLength(final int type) {
        return switch (type) {
            case CONNECT -> ConnectFlyweight.BODY_LENGTH;
            case ACK -> AckFlyweight.BODY_LENGTH;
            case ACCEPT -> AcceptFlyweight.BODY_LENGTH;
            case ALL_BUSY -> AllBusyFlyweight.BODY_LENGTH;
            case RELEASE -> ReleaseFlyweight.BODY_LENGTH;
            case LOAD -> LoadFlyweight.BODY_LENGTH;
            default -> -1;
        };
    }

    /**
     * @param type a known message type
     * @return the exact length of a whole datagram of that type (header, body, MAC)
     */
    public static int datagramLength(final int type) {
        return HeaderFlyweight.HEADER_LENGTH + bodyLength(type) + HeaderFlyweight.MAC_LENGTH;
    }
}
