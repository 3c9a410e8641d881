package io.spillway.node.testsupport;

import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.sip.SipComponent;
import io.spillway.node.sip.transport.SipDestination;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A node started in-process with a {@link SipComponent} on OS-chosen ports (loopback), for SIP tests.
 * Every destination outside loopback is dropped on the send path, so a test can never reach another
 * network. Close it in a finally or with try-with-resources.
 */
public final class SipTestNode implements AutoCloseable {
    private final SpillwayNode node;
    private final SipComponent sip;

    private SipTestNode(SpillwayNode node, SipComponent sip) {
        this.node = node;
        this.sip = sip;
    }

    /** Starts a node with {@code sip} and extra {@code key=value} overrides (e.g. {@code sip.t1=50ms}). */
    public static SipTestNode start(SipComponent sip, String... overrides) throws Exception {
        return start(sip, d -> false, overrides);
    }

    /**
     * As {@link #start(SipComponent, String...)}, also dropping (and counting) what the node sends to
     * destinations {@code drop} accepts: loss injected on the node's own send path.
     */
    public static SipTestNode start(SipComponent sip, Predicate<SipDestination> drop, String... overrides)
            throws Exception {
        List<String> sets = new ArrayList<>(List.of("admin.listen=127.0.0.1:0", "media.event_loops=1",
            "sip.udp_port=0", "sip.tcp_port=0"));
        sets.addAll(List.of(overrides));
        ConfigSource source = new ConfigSource(null, sets);
        NodeConfig config = ConfigLoader.load(source);
        sip.hostResolver(host -> {
            throw new java.net.UnknownHostException(host + " (tests resolve no names)");
        });
        sip.dropFilter(d -> !d.address().getAddress().isLoopbackAddress() || drop.test(d));
        SpillwayNode node = new SpillwayNode(source, config, List.of(sip), Map.of());
        node.start();
        return new SipTestNode(node, sip);
    }

    /** Starts a node with a default {@link SipComponent} (no media anchoring, no registrar). */
    public static SipTestNode start(String... overrides) throws Exception {
        return start(new SipComponent(), overrides);
    }

    public SpillwayNode node() {
        return node;
    }

    public SipComponent sip() {
        return sip;
    }

    /** The first UDP listener. */
    public InetSocketAddress udp() {
        return sip.udpAddresses().get(0);
    }

    /** The first TCP listener. */
    public InetSocketAddress tcp() {
        return sip.tcpAddresses().get(0);
    }

    /** The metrics page as text. */
    public String metrics() {
        StringBuilder sb = new StringBuilder();
        node.metrics().writeTo(sb);
        return sb.toString();
    }

    /** The value of one sample line ({@code name{labels}}) of the metrics page, or -1 when absent. */
    public double metric(String sample) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }

    @Override
    public void close() {
        node.stop();
    }
}
