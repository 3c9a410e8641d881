package io.spillway.node.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * First handler of an accepted TCP child channel: closes the connection at once when its peer is not
 * admitted by the listener's {@link AccessPolicy} (counted there), before any byte is read or parsed.
 * Admitted channels remove the handler, so it costs nothing afterwards. {@link Sharable}: one instance
 * per listener.
 *
 * <p>Behind a trusted load balancer the socket peer is the balancer: do not install this handler
 * there; check {@link AccessPolicy#admit} with the PROXY header's source instead.
 */
@ChannelHandler.Sharable
public final class AccessPolicyHandler extends ChannelInboundHandlerAdapter {
    private final AccessPolicy policy;

    public AccessPolicyHandler(AccessPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (remote instanceof InetSocketAddress isa && policy.admit(isa)) {
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
            return;
        }
        if (!(remote instanceof InetSocketAddress)) {
            policy.admit((InetSocketAddress) null);
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Only reached if data arrived before channelActive finished closing: drop it.
        io.netty.util.ReferenceCountUtil.release(msg);
    }

    public AccessPolicy policy() {
        return policy;
    }
}
