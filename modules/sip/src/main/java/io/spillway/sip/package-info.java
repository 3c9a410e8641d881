/**
 * SIP-lite: the message model, the parser and serializer, the edits a proxy makes, and builders.
 *
 * <ul>
 *   <li>{@link io.spillway.sip.SipParser} parses a datagram into a {@link io.spillway.sip.SipRequest}
 *       or {@link io.spillway.sip.SipResponse}; {@link io.spillway.sip.SipStreamFramer} cuts a TCP
 *       byte stream into messages by Content-Length.</li>
 *   <li>{@link io.spillway.sip.SipMessage} gives typed accessors (fast ones that build no objects:
 *       {@code topViaBranch}, {@code callId}, {@code cseqNumber}, {@code fromTag}, ...) and edits
 *       that leave untouched lines byte-exact.</li>
 *   <li>{@link io.spillway.sip.SipResponseBuilder} and {@link io.spillway.sip.SipRequestBuilder}
 *       create new messages.</li>
 *   <li>Bad input raises {@link io.spillway.sip.SipParseException} and nothing else.</li>
 * </ul>
 *
 * <p>Codecs only: everything here takes bytes or a {@code ByteBuf} and returns values or precise
 * parse errors. Depends on {@code netty-buffer} and nothing that does I/O.
 */
package io.spillway.sip;
