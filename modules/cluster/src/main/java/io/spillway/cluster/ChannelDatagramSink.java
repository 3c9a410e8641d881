package io.spillway.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/** Sends control datagrams on the node's UDP channel (from its event loop), flushed per burst. */
final class ChannelDatagramSink implements DatagramSink {
    private final Channel channel;

    ChannelDatagramSink(final Channel channel) {
        this.channel = channel;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void send(final ByteBuf datagram, final int destIndex, final InetSocketAddress destination) {
        channel.write(new DatagramPacket(datagram, destination), channel.voidPromise());
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }
}
