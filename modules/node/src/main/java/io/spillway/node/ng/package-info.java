/**
 * The rtpengine-compatible "ng" control port: a bencode codec, the UDP datagram framing
 * ({@code <cookie> <bencoded dict>}) with a retransmission cache, and the command dispatch
 * ({@code ping}, {@code offer}, {@code answer}, {@code delete}, {@code query}, {@code list},
 * {@code statistics}) that lets Kamailio's and OpenSIPS's {@code rtpengine} modules drive Spillway's
 * relay. Protocol notes: {@code docs/ng-protocol.md}.
 *
 * <p>The codec classes ({@link io.spillway.node.ng.BencodeDecoder},
 * {@link io.spillway.node.ng.BencodeEncoder}, {@link io.spillway.node.ng.NgFrameCodec},
 * {@link io.spillway.node.ng.NgSdpEditor}) know nothing of channels; only
 * {@link io.spillway.node.ng.NgControlHandler} and {@link io.spillway.node.ng.NgServer} touch Netty
 * channels. May depend on: Netty; the sip module's SDP model ({@code io.spillway.sip.sdp}); the media
 * module only in {@link io.spillway.node.ng.MediaEngineNgBackend}, the adapter behind
 * {@link io.spillway.node.ng.NgMediaBackend}; the node's lifecycle and metrics only in
 * {@link io.spillway.node.ng.NgControlComponent}.
 */
package io.spillway.node.ng;
