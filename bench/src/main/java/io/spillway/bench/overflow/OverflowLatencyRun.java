package io.spillway.bench.overflow;

import io.spillway.cluster.WorkloadSource;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.overflow.ClusterComponent;
import io.spillway.node.sip.SipComponent;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.HdrHistogram.Histogram;

/**
 * INVITE-to-302 latency through whole nodes: a UDP client sends an initial INVITE to node 1 of a
 * sequence of N in-process nodes (SIP proxy + overflow policy + cluster control protocol, each node
 * with its own event loops and sockets on loopback), all full but the last, and times the 302 that
 * names node N. N = 1 is the baseline without overflow: node 1 has room and the time is INVITE to the
 * forwarded INVITE at the callee. One INVITE at a time (latency, not throughput), each with its own
 * Call-ID; the 302 is ACKed. Runs each chain with heartbeat skipping off (the CONNECT visits every
 * full node) and on (node 1 skips the nodes whose LOAD says full).
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.spillway.bench.overflow.OverflowLatencyRun [invites]
 * </pre>
 */
public final class OverflowLatencyRun {
    private static final int TIMEOUT_MS = 5_000;
    private static final long HIGHEST_NS = 10_000_000_000L;

    private OverflowLatencyRun() {
    }

    public static void main(String[] args) throws Exception {
        int invites = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int warmup = Math.max(500, invites / 4);
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("spillway").setLevel(Level.WARNING);
        System.out.println("| chain | skip full (heartbeats) | INVITEs | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (boolean skip : new boolean[] {false, true}) {
            for (int length : new int[] {1, 2, 4, 8}) {
                if (length == 1 && skip) {
                    continue;
                }
                Histogram h = run(length, skip, warmup, invites);
                System.out.printf(Locale.ROOT, "| %d | %s | %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", length,
                    length == 1 ? "n/a" : skip ? "on" : "off", h.getTotalCount(), us(h, 50), us(h, 90), us(h, 99),
                    us(h, 99.9), h.getMaxValue() / 1_000.0);
            }
        }
        System.exit(0);
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1_000.0;
    }

    private static Histogram run(int length, boolean skip, int warmup, int invites) throws Exception {
        Path dir = Files.createTempDirectory("overflow-bench");
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "overflow-bench-cluster-key-0123456789\n");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        int[] sip = new int[length];
        int[] control = new int[length];
        for (int i = 0; i < length; i++) {
            sip[i] = freePort();
            control[i] = freePort();
        }
        List<SpillwayNode> nodes = new ArrayList<>();
        try (DatagramSocket client = socket(); DatagramSocket callee = socket()) {
            for (int i = 0; i < length; i++) {
                boolean last = i == length - 1;
                List<String> sets = new ArrayList<>(List.of("admin.listen=127.0.0.1:0", "media.event_loops=1",
                    "sip.udp_port=" + sip[i], "sip.tcp_port=" + sip[i], "ng.listen=127.0.0.1:0",
                    "cluster.node_id=n" + (i + 1), "cluster.control_listen=127.0.0.1:" + control[i],
                    "cluster.secret_file=" + key, "cluster.thresholds.max_calls=" + (last ? 10_000_000 : 1),
                    "lifecycle.watchdog=false", "routes.0.prefix=bob",
                    "routes.0.uri=sip:bob@127.0.0.1:" + callee.getLocalPort()));
                for (int p = 0; p < length; p++) {
                    sets.add("cluster.peers." + p + ".id=n" + (p + 1));
                    sets.add("cluster.peers." + p + ".sip=127.0.0.1:" + sip[p]);
                    sets.add("cluster.peers." + p + ".control=127.0.0.1:" + control[p]);
                }
                ConfigSource source = new ConfigSource(null, sets);
                WorkloadSource workload = WorkloadSource.ofCalls(last ? 0 : 1);
                ClusterComponent cluster = new ClusterComponent(() -> workload,
                    b -> b.skipFullPeers(skip).heartbeatIntervalMs(100).peerDeadAfterMs(10_000), 32_000);
                List<NodeComponent> components = List.of(cluster, new SipComponent(
                    new io.spillway.node.sip.proxy.NoMediaHook(), (user, domain) -> List.of(), null)
                    .overflow(cluster::policy));
                SpillwayNode node = new SpillwayNode(source, ConfigLoader.load(source), components, Map.of());
                node.start();
                nodes.add(node);
            }
            Thread.sleep(500); // heartbeats: every node has heard the others' LOAD
            InetSocketAddress first = new InetSocketAddress("127.0.0.1", sip[0]);
            String expectedContact = "sip:bob@127.0.0.1:" + sip[length - 1] + ";spw-token=";
            for (int i = 0; i < warmup; i++) {
                once(client, callee, first, "w" + i, length, expectedContact);
            }
            Histogram h = new Histogram(1, HIGHEST_NS, 3);
            for (int i = 0; i < invites; i++) {
                h.recordValue(once(client, callee, first, "m" + i, length, expectedContact));
            }
            return h;
        } finally {
            for (SpillwayNode n : nodes) {
                n.stop();
            }
        }
    }

    /** One INVITE; returns the time to the 302 (or, for a chain of 1, to the forwarded INVITE). */
    private static long once(DatagramSocket client, DatagramSocket callee, InetSocketAddress first, String callId,
                             int length, String expectedContact) throws IOException {
        int port = client.getLocalPort();
        String branch = "z9hG4bK-" + callId;
        String invite = "INVITE sip:bob@" + first.getHostString() + ":" + first.getPort() + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + "\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1:" + port + ">;tag=a" + callId + "\r\n"
            + "To: <sip:bob@example.net>\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@127.0.0.1:" + port + ">\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = invite.getBytes(StandardCharsets.US_ASCII);
        long startNs = System.nanoTime();
        client.send(new DatagramPacket(bytes, bytes.length, first));
        if (length == 1) {
            awaitText(callee, "Call-ID: " + callId + "\r\n", null);
            return System.nanoTime() - startNs;
        }
        String response = awaitText(client, "Call-ID: " + callId + "\r\n", "SIP/2.0 302 ");
        long tookNs = System.nanoTime() - startNs;
        if (!response.contains(expectedContact)) {
            throw new IllegalStateException("302 does not name the last node: " + response);
        }
        int tag = response.indexOf(";tag=", response.indexOf("\r\nTo:"));
        String toTag = response.substring(tag + 5, response.indexOf("\r\n", tag));
        String ack = "ACK sip:bob@" + first.getHostString() + ":" + first.getPort() + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=" + branch + "\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1:" + port + ">;tag=a" + callId + "\r\n"
            + "To: <sip:bob@example.net>;tag=" + toTag + "\r\nCall-ID: " + callId + "\r\nCSeq: 1 ACK\r\n"
            + "Content-Length: 0\r\n\r\n";
        byte[] ackBytes = ack.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(ackBytes, ackBytes.length, first));
        return tookNs;
    }

    /** The next datagram containing {@code callIdLine} (and starting with {@code prefix}, if given). */
    private static String awaitText(DatagramSocket socket, String callIdLine, String prefix) throws IOException {
        byte[] buf = new byte[65_535];
        long deadlineNs = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
        while (deadlineNs - System.nanoTime() > 0) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String text = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (text.contains(callIdLine) && (prefix == null || text.startsWith(prefix))) {
                return text;
            }
        }
        throw new IllegalStateException("no answer with " + callIdLine.trim() + " in " + TIMEOUT_MS + " ms");
    }

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(TIMEOUT_MS);
        return s;
    }

    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return udp.getLocalPort();
                } catch (IOException e) {
                    // UDP side taken: try another
                }
            }
        }
        throw new IOException("no free loopback port");
    }
}
