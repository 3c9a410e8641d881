package io.spillway.node.ng;

/** An SDP body the ng port cannot relay (no media, no connection address, bad port). */
public final class NgSdpException extends Exception {
    private static final long serialVersionUID = 1L;

    NgSdpException(String reason) {
        super(reason, null, false, false);
    }
}
