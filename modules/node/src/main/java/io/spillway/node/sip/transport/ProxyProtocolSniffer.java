package io.spillway.node.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.List;

/**
 * First handler of an accepted TCP connection: looks at the first bytes for a PROXY protocol v1 or
 * v2 header. From a trusted load balancer it installs {@link HAProxyMessageDecoder} to read it; from
 * anyone else a PROXY header is rejected, counted, and the connection closed. Without a header it
 * steps aside and the stream is plain SIP.
 */
final class ProxyProtocolSniffer extends ByteToMessageDecoder {
    private final boolean trusted;
    private final TransportCounters counters;

    ProxyProtocolSniffer(boolean trusted, TransportCounters counters) {
        this.trusted = trusted;
        this.counters = counters;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ProtocolDetectionResult<HAProxyProtocolVersion> result = HAProxyMessageDecoder.detectProtocol(in);
        switch (result.state()) {
            case NEEDS_MORE_DATA:
                return;
            case DETECTED:
                if (!trusted) {
                    counters.proxyProtocolRejected.increment();
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                    return;
                }
                counters.proxyProtocolAccepted.increment();
                ctx.pipeline().addAfter(ctx.name(), "haproxy", new HAProxyMessageDecoder());
                ctx.pipeline().remove(this);
                return;
            default:
                ctx.pipeline().remove(this);
        }
    }
}
