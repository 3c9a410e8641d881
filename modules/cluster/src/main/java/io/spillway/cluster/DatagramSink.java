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

    /**
     * Pushes out what {@link #send} queued. The endpoint calls it once at the end of every unit of
     * work (a read burst, a timer tick, a started chain), so a burst leaves in one {@code sendmmsg}
     * rather than one syscall per datagram. Sinks that send at once need not override it.
     */
    default void flush() {
    }

    /** @return false once closed: nothing more is sent */
    boolean isOpen();
}
