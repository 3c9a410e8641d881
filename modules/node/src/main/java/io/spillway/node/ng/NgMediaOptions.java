package io.spillway.node.ng;

/**
 * How a leg's remote address is learnt and enforced, from the ng {@code flags} of an offer or answer.
 *
 * @param symmetric latch the remote address from the first packet received (NAT-friendly); when
 *     false ("asymmetric"), send to the SDP address and never latch
 * @param strictSource drop packets that do not come from the (latched or SDP) remote address
 * @param mediaHandover allow re-latching to a new source address at any time
 */
public record NgMediaOptions(boolean symmetric, boolean strictSource, boolean mediaHandover) {
    /** The relay's defaults: symmetric latching, strict source after latching, no handover. */
    public static final NgMediaOptions DEFAULT = new NgMediaOptions(true, true, false);
}
