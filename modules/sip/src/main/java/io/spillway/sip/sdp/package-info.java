/**
 * SDP (RFC 8866) for a media relay: parse a session description, read its connection addresses,
 * media streams, RTCP and direction attributes, and rewrite addresses, ports, {@code a=rtcp},
 * {@code a=rtcp-mux} and direction while every other line stays byte-exact.
 *
 * <p>Depends on {@code io.spillway.sip} for {@link io.spillway.sip.SipParseException} only; no I/O.
 */
package io.spillway.sip.sdp;
