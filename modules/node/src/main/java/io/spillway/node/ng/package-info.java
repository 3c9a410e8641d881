/**
 * The rtpengine-compatible "ng" control port: a bencode codec, the UDP datagram framing
 * ({@code <cookie> <bencoded dict>}) with a retransmission cache, and the command dispatch
 * ({@code ping}, {@code offer}, {@code answer}, {@code delete}, {@code query}, {@code list},
 * {@code statistics}) that lets Kamailio's and OpenSIPS's {@code rtpengine} modules drive Spillway's
 * relay.
 *
 * <p>The codec classes ({@link io.spillway.node.ng.BencodeDecoder},
 * {@link io.spillway.node.ng.BencodeEncoder}, {@link io.spillway.node.ng.NgSdpEditor}) know nothing
 * of channels. Only {@link io.spillway.node.ng.NgControlHandler} and
 * {@link io.spillway.node.ng.NgServer} touch Netty channels. The relay is reached through
 * {@link io.spillway.node.ng.NgMediaBackend}, so this package depends on the media module only in
 * the adapter that implements it.
 */
package io.spillway.node.ng;
