package io.spillway.node.ng;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A blocking ng client for tests over real UDP: raw datagrams and decoded replies. */
final class NgTestClient implements AutoCloseable {
    private final DatagramSocket socket;
    private int cookie;

    NgTestClient(InetSocketAddress server) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(server.getAddress(), 0));
        socket.connect(server);
        socket.setSoTimeout(5_000);
    }

    /** Sends raw bytes, returns the raw reply (or null after the timeout). */
    byte[] exchange(byte[] datagram) throws IOException {
        socket.send(new DatagramPacket(datagram, datagram.length));
        byte[] in = new byte[65_535];
        DatagramPacket reply = new DatagramPacket(in, in.length);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(in, reply.getLength());
    }

    /** {@code cookie SP bencode(request)} as bytes. */
    static byte[] frame(String cookie, BencodeValue.Dict request) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeCharSequence(cookie + " ", StandardCharsets.US_ASCII);
            BencodeEncoder.encode(request, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Sends {@code request} under a fresh cookie and decodes the reply dictionary. */
    BencodeValue.Dict request(BencodeValue.Dict request) throws Exception {
        String c = "t" + (cookie++);
        byte[] reply = exchange(frame(c, request));
        if (reply == null) {
            throw new IOException("no ng reply");
        }
        String prefix = c + " ";
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        if (!text.startsWith(prefix)) {
            throw new IOException("reply with another cookie: " + text);
        }
        return (BencodeValue.Dict) new BencodeDecoder().decode(reply, prefix.length(), reply.length - prefix.length());
    }

    @Override
    public void close() {
        socket.close();
    }
}
