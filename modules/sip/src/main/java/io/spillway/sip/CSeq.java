package io.spillway.sip;

/** A CSeq value: sequence number and method (RFC 3261 20.16). */
public record CSeq(long number, String method) {
    @Override
    public String toString() {
        return number + " " + method;
    }
}
