/**
 * SIP-lite: the message model, the parser and serializer, the edits a proxy makes, and SDP.
 *
 * <p>Codecs only: everything here takes bytes or a {@code ByteBuf} and returns values or precise
 * parse errors. Depends on {@code netty-buffer} and nothing that does I/O.
 */
package io.spillway.sip;
