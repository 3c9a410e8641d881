package io.spillway.node.ng;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The ng control port on a datagram channel: reads {@code cookie SP bencode}, answers a retransmitted
 * cookie from the {@link NgReplyCacheTable} byte for byte without acting again, otherwise decodes,
 * dispatches, replies and caches the reply. Malformed input is answered with {@code result: error}
 * when a cookie could be read, and dropped (counted) when not. Every inbound buffer is released by
 * {@link SimpleChannelInboundHandler}.
 */
public final class NgControlHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = Logger.getLogger(NgControlHandler.class.getName());

    private final BencodeDecoder decoder;
    private final NgCommandDispatcher dispatcher;
    private final NgReplyCacheTable replies;
    private final NgStats stats;
    private final java.util.function.Predicate<InetSocketAddress> admission;

    /** A handler; must be added to exactly one channel (it owns the dispatcher's thread). */
    public NgControlHandler(BencodeDecoder decoder, NgCommandDispatcher dispatcher, NgReplyCacheTable replies,
                            NgStats stats) {
        this(decoder, dispatcher, replies, stats, sender -> true);
    }

    /** As above, admitting only the senders {@code admission} accepts (the access gateway; it counts drops). */
    public NgControlHandler(BencodeDecoder decoder, NgCommandDispatcher dispatcher, NgReplyCacheTable replies,
                            NgStats stats, java.util.function.Predicate<InetSocketAddress> admission) {
        super(DatagramPacket.class, true);
        this.admission = admission;
        this.decoder = decoder;
        this.dispatcher = dispatcher;
        this.replies = replies;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress sender = packet.sender();
        if (!admission.test(sender)) {
            return; // not an allowed controller: no answer
        }
        byte[] datagram = ByteBufUtil.getBytes(packet.content());
        int cookieLength = NgFrameCodec.consumeCookie(datagram, datagram.length);
        if (cookieLength < 0 || sender == null) {
            stats.countDropped();
            return;
        }
        String cookie = new String(datagram, 0, cookieLength, StandardCharsets.US_ASCII);
        byte[] cached = replies.get(sender, cookie);
        if (cached != null) {
            stats.countRetransmission();
            ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(cached), sender), ctx.voidPromise());
            return;
        }
        BencodeValue.Dict reply = handle(datagram, cookieLength + 1);
        ByteBuf out = NgFrameCodec.encode(cookie, reply, ctx.alloc());
        replies.put(sender, cookie, ByteBufUtil.getBytes(out));
        ctx.writeAndFlush(new DatagramPacket(out, sender), ctx.voidPromise());
    }

    private BencodeValue.Dict handle(byte[] datagram, int bodyOffset) {
        BencodeValue body;
        try {
            body = decoder.decode(datagram, bodyOffset, datagram.length - bodyOffset);
        } catch (BencodeException e) {
            stats.countMalformed();
            return NgDictBuilder.error("Malformed bencode: " + e.getMessage());
        }
        if (!(body instanceof BencodeValue.Dict dict)) {
            stats.countMalformed();
            return NgDictBuilder.error("Message is not a dictionary");
        }
        return dispatcher.dispatch(dict);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A send failure (e.g. ICMP port unreachable surfacing as an exception) must not close the port.
        stats.countInternalError();
        LOG.log(Level.FINE, "ng channel error", cause);
    }
}
