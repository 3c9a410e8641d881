package io.spillway.node.testsupport;

import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParser;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A blocking UDP SIP endpoint on loopback for tests: send text or bytes, receive parsed messages. */
public final class SipUdpClient implements AutoCloseable {
    private final DatagramSocket socket;

    public SipUdpClient() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Sends text, with {@code $PORT} replaced by this client's port. */
    public void send(String text, InetSocketAddress to) throws IOException {
        send(text.replace("$PORT", Integer.toString(port())).getBytes(StandardCharsets.UTF_8), to);
    }

    public void send(byte[] bytes, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** The next datagram parsed, or null when none arrives within {@code timeoutMs}. */
    public SipMessage receive(int timeoutMs) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(timeoutMs);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return SipParser.parse(Arrays.copyOf(buf, p.getLength()));
    }

    /** The next datagram as text (for answers a strict parser would refuse), or null after {@code timeoutMs}. */
    public String receiveText(int timeoutMs) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout(timeoutMs);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        socket.close();
    }
}
