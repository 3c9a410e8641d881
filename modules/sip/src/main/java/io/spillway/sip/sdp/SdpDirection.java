package io.spillway.sip.sdp;

import java.util.Locale;

/** Media direction attributes (RFC 8866 6.7; RFC 3264 5.1). */
public enum SdpDirection {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** The attribute name, e.g. {@code sendrecv}. */
    public String attribute() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction for an attribute line's content ({@code sendonly}), or null if it is not one. */
    static SdpDirection ofAttribute(String attr) {
        switch (attr) {
            case "sendrecv":
                return SENDRECV;
            case "sendonly":
                return SENDONLY;
            case "recvonly":
                return RECVONLY;
            case "inactive":
                return INACTIVE;
            default:
                return null;
        }
    }
}
