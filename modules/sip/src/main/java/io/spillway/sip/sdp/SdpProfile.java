package io.spillway.sip.sdp;

/** Transport protocols of an {@code m=} line that the relay understands; anything else is {@link #OTHER}. */
public enum SdpProfile {
    RTP_AVP("RTP/AVP"),
    RTP_SAVP("RTP/SAVP"),
    RTP_AVPF("RTP/AVPF"),
    RTP_SAVPF("RTP/SAVPF"),
    UDP_TLS_RTP_SAVPF("UDP/TLS/RTP/SAVPF"),
    /** Any other proto (kept as written, see {@link SdpMedia#proto()}). */
    OTHER(null);

    private final String text;

    SdpProfile(String text) {
        this.text = text;
    }

    /** The proto as written in SDP, null for {@link #OTHER}. */
    public String text() {
        return text;
    }

    static SdpProfile of(String proto) {
        for (SdpProfile p : values()) {
            if (p.text != null && p.text.equalsIgnoreCase(proto)) {
                return p;
            }
        }
        return OTHER;
    }
}
