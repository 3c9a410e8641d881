package io.spillway.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.net.InetSocketAddress;

/**
 * Where the control state machine sends its datagrams: the Netty channel in a running node, an
 * in-memory network in a simulation ({@link VirtualNode}). Called only on the node's thread.
 */
public interface DatagramSink {
    /** @return the allocator for outgoing datagrams */
    ByteBufAllocator alloc();

    /**
     * Sends one datagram and takes ownership of {@code datagram} (releases it).
     *
     * @param datagram the signed datagram, readable bytes only
     * @param destIndex the destination's position in the sequence
     * @param destination its control address
     */
    void send(ByteBuf datagram, int destIndex, InetSocketAddress destination);

    /** @return false once closed: nothing more is sent */
    boolean isOpen();
}
