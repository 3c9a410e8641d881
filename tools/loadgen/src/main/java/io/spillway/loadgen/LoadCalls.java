package io.spillway.loadgen;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls of one run: two local UDP endpoints per call (caller A, callee B) and the relay ports
 * each must send to, set up with ng {@code offer} + {@code answer} and torn down with {@code delete}.
 * Stream {@code 2s} goes A to B of call {@code s}; stream {@code 2s+1} goes B to A.
 */
final class LoadCalls implements AutoCloseable {
    private final String runId = Long.toHexString(System.currentTimeMillis());
    /** Per stream: the channel it is sent from, and where to. */
    final DatagramChannel[] senders;
    final InetSocketAddress[] targets;
    /** Per stream: the channel it arrives on. */
    final DatagramChannel[] receivers;
    private final List<DatagramChannel> all = new ArrayList<>();
    private final NgClient ng;
    /** The one endpoint of every party in shared-socket mode (bound by the caller), else null. */
    final InetSocketAddress shared;
    private final boolean asymmetric;
    private int established;

    private LoadCalls(int streams, NgClient ng, InetSocketAddress shared) {
        this.senders = new DatagramChannel[streams];
        this.targets = new InetSocketAddress[streams];
        this.receivers = new DatagramChannel[streams];
        this.ng = ng;
        this.shared = shared;
        this.asymmetric = shared != null;
    }

    /** Sets up {@code config.sessions()} calls (through the ng port unless it is a baseline run). */
    static LoadCalls open(LoadConfig config) throws IOException {
        return open(config, null);
    }

    /**
     * As {@link #open(LoadConfig)}; with {@code shared} non-null, every party of every call is that
     * one endpoint and the calls are set up asymmetric.
     */
    static LoadCalls open(LoadConfig config, InetSocketAddress shared) throws IOException {
        NgClient ng = config.ng() == null ? null : new NgClient(config.ng());
        InetAddress local = config.ng() == null || config.ng().getAddress().getAddress().length == 4
            ? InetAddress.getByName("127.0.0.1") : InetAddress.getByName("::1");
        LoadCalls calls = new LoadCalls(config.streams(), ng, shared);
        try {
            for (int s = 0; s < config.sessions(); s++) {
                calls.openCall(s, local);
            }
            return calls;
        } catch (IOException | RuntimeException e) {
            calls.close();
            throw e;
        }
    }

    private void openCall(int s, InetAddress local) throws IOException {
        DatagramChannel a = shared != null ? null : endpoint(local);
        DatagramChannel b = shared != null ? null : endpoint(local);
        InetSocketAddress aAddr = shared != null ? shared : (InetSocketAddress) a.getLocalAddress();
        InetSocketAddress bAddr = shared != null ? shared : (InetSocketAddress) b.getLocalAddress();
        InetSocketAddress toB = bAddr;
        InetSocketAddress toA = aAddr;
        if (ng != null) {
            String callId = "loadgen-" + runId + "-" + s;
            Map<String, Object> offer = new LinkedHashMap<>();
            offer.put("command", "offer");
            offer.put("call-id", callId);
            offer.put("from-tag", "a" + s);
            offer.put("sdp", sdp(aAddr));
            offer.put("flags", List.of(asymmetric ? "asymmetric" : "symmetric"));
            offer.put("replace", List.of("origin", "session-connection"));
            InetSocketAddress relayForB = relayAddress(expectOk(ng.request(offer)));
            established++;
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("command", "answer");
            answer.put("call-id", callId);
            answer.put("from-tag", "a" + s);
            answer.put("to-tag", "b" + s);
            answer.put("sdp", sdp(bAddr));
            answer.put("flags", List.of(asymmetric ? "asymmetric" : "symmetric"));
            InetSocketAddress relayForA = relayAddress(expectOk(ng.request(answer)));
            toB = relayForA; // A sends to the relay's A-facing port; the relay sends on to B
            toA = relayForB;
        }
        senders[2 * s] = a;
        targets[2 * s] = toB;
        receivers[2 * s] = b;
        senders[2 * s + 1] = b;
        targets[2 * s + 1] = toA;
        receivers[2 * s + 1] = a;
    }

    private DatagramChannel endpoint(InetAddress local) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        all.add(ch);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 256 * 1024);
        ch.bind(new InetSocketAddress(local, 0));
        ch.configureBlocking(false);
        return ch;
    }

    private static String sdp(InetSocketAddress at) {
        String type = at.getAddress().getAddress().length == 4 ? "IP4" : "IP6";
        String host = at.getAddress().getHostAddress();
        return "v=0\r\no=loadgen 1 1 IN " + type + " " + host + "\r\ns=-\r\nc=IN " + type + " " + host
            + "\r\nt=0 0\r\nm=audio " + at.getPort() + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }

    private static String expectOk(Map<String, Object> reply) throws IOException {
        if (!"ok".equals(reply.get("result"))) {
            throw new IOException("ng refused the call: " + reply);
        }
        return (String) reply.get("sdp");
    }

    /** The first m= port and the c= address of a rewritten SDP. */
    static InetSocketAddress relayAddress(String sdp) throws IOException {
        String host = null;
        int port = -1;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("c=IN ") && host == null) {
                host = line.substring(5).split(" ")[1];
            } else if (line.startsWith("c=IN ") && port >= 0) {
                host = line.substring(5).split(" ")[1];
                break;
            } else if (line.startsWith("m=") && port < 0) {
                port = Integer.parseInt(line.split(" ")[1]);
            }
        }
        if (host == null || port <= 0) {
            throw new IOException("no relay address in SDP:\n" + sdp);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** Deletes every call set up so far; returns how many the relay confirmed. */
    int deleteAll() {
        int confirmed = 0;
        for (int s = 0; s < established; s++) {
            Map<String, Object> delete = new LinkedHashMap<>();
            delete.put("command", "delete");
            delete.put("call-id", "loadgen-" + runId + "-" + s);
            delete.put("from-tag", "a" + s);
            try {
                if ("ok".equals(ng.request(delete).get("result"))) {
                    confirmed++;
                }
            } catch (IOException e) {
                // counted as unconfirmed
            }
        }
        established = 0;
        return confirmed;
    }

    @Override
    public void close() {
        for (DatagramChannel ch : all) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing
            }
        }
        if (ng != null) {
            ng.close();
        }
    }

    boolean viaRelay() {
        return ng != null;
    }
}
