package io.spillway.node.gateway;

import io.spillway.node.config.AccessListConfig;
import io.spillway.node.config.AuthConfig;
import io.spillway.node.config.ConfigException;
import io.spillway.node.config.FloodConfig;
import io.spillway.node.config.HostPort;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.config.PeerConfig;
import io.spillway.node.config.SecurityConfig;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The node's access gateway, built once from {@code [security]}: one {@link AccessPolicy} per
 * listener, the SIP checks ({@link SipGuard}), the TCP handlers, and the counters. Listeners get their
 * piece from here:
 * <ul>
 *   <li>SIP UDP: {@code sip().admit(source)} per datagram before parsing; SIP TCP: {@link
 *       #tcpHandlers(GatewayListener)} first in the child pipeline, then {@code sip().admit} per framed
 *       message; the proxy: {@code sip().authorize(request, source)} per request.</li>
 *   <li>ng and cluster (UDP): {@code policy(NG).admit(sender)} / {@code policy(CLUSTER).admit(sender)}
 *       per datagram before decoding.</li>
 *   <li>admin HTTP: {@link #tcpHandlers(GatewayListener) tcpHandlers(ADMIN)}.</li>
 *   <li>media: {@link #mediaMaxPacketsPerSec()} for the relay's per-stream rate cap.</li>
 * </ul>
 */
public final class Gateway {
    private final GatewayCounters counters = new GatewayCounters();
    private final Map<GatewayListener, AccessPolicy> policies = new EnumMap<>(GatewayListener.class);
    private final Map<GatewayListener, AccessPolicyHandler> policyHandlers = new EnumMap<>(GatewayListener.class);
    private final SipGuard sip;
    private final ConnectionLimitHandler sipTcpLimits;
    private final int mediaMaxPacketsPerSec;
    private final CidrSet trusted;

    /**
     * @param security          the {@code [security]} section
     * @param peerControlHosts  the control addresses of the cluster's other peers (always admitted on
     *                          the control port)
     * @param nowNs             monotonic clock for rates and blocks
     * @param wallMs            wall clock for nonces
     */
    public Gateway(SecurityConfig security, List<InetAddress> peerControlHosts, LongSupplier nowNs,
                   LongSupplier wallMs) {
        policies.put(GatewayListener.SIP, policy(GatewayListener.SIP, security.sip(), List.of()));
        policies.put(GatewayListener.NG, policy(GatewayListener.NG, security.ng(), List.of()));
        List<Cidr> peers = new ArrayList<>();
        for (InetAddress a : peerControlHosts) {
            peers.add(Cidr.parse(a.getHostAddress()));
        }
        policies.put(GatewayListener.CLUSTER, policy(GatewayListener.CLUSTER, security.cluster(), peers));
        policies.put(GatewayListener.ADMIN, policy(GatewayListener.ADMIN, security.admin(), List.of()));
        for (var e : policies.entrySet()) {
            policyHandlers.put(e.getKey(), new AccessPolicyHandler(e.getValue()));
        }
        AuthConfig auth = security.auth();
        FloodConfig flood = security.flood();
        this.trusted = CidrSet.parse(auth.trusted());
        FailureTracker failures = new FailureTracker(auth.maxFailures(), auth.failureWindow().toNanos(),
            auth.blockTime().toNanos(), auth.maxTrackedSources(), nowNs);
        DigestAuthenticator authenticator = null;
        if (auth.enabled()) {
            CredentialStore store;
            try {
                store = CredentialStore.parse(
                    new String(auth.credentialsFile().bytes(), StandardCharsets.UTF_8).lines().toList(),
                    String.valueOf(auth.credentialsFile().file()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("security.auth.credentials_file",
                    String.valueOf(auth.credentialsFile().file()), e.getMessage());
            }
            byte[] key = auth.nonceSecretFile().isPresent() ? auth.nonceSecretFile().bytes() : NonceCodec.randomKey();
            NonceCodec nonces = new NonceCodec(key, auth.realm(), auth.nonceLifetime().toMillis(), wallMs);
            authenticator = new DigestAuthenticator(auth.realm(), store, nonces, failures, trusted, counters);
        }
        SourceRateTable rates = new SourceRateTable(flood.sipRatePerSec(), flood.sipBurst(),
            flood.maxTrackedSources(), flood.sourceIdle().toNanos(), nowNs);
        this.sip = new SipGuard(policies.get(GatewayListener.SIP), rates, failures, authenticator, trusted, counters);
        // idle connections: the SIP transport's own sip.tcp_idle_timeout closes them
        this.sipTcpLimits = new ConnectionLimitHandler(GatewayListener.SIP, flood.tcpMaxConnectionsPerSource(),
            0, trusted, counters);
        this.mediaMaxPacketsPerSec = flood.mediaMaxPacketsPerSec();
    }

    /**
     * The gateway for a node's config, resolving the peers' control hosts once (a name that does not
     * resolve is a config error: the control port would refuse that peer).
     */
    public static Gateway create(NodeConfig config) {
        List<InetAddress> peers = new ArrayList<>();
        List<PeerConfig> others = config.cluster().otherPeers();
        for (int i = 0; i < others.size(); i++) {
            HostPort control = others.get(i).control();
            try {
                for (InetAddress a : InetAddress.getAllByName(control.host())) {
                    peers.add(a);
                }
            } catch (UnknownHostException e) {
                throw new ConfigException("cluster.peers." + i + ".control", control.host(),
                    "does not resolve, so the control port could not admit it");
            }
        }
        return new Gateway(config.security(), peers, System::nanoTime, System::currentTimeMillis);
    }

    private AccessPolicy policy(GatewayListener listener, AccessListConfig config, List<Cidr> alwaysAllowed) {
        List<Cidr> allow = new ArrayList<>(alwaysAllowed);
        for (String s : config.allow()) {
            allow.add(Cidr.parse(s));
        }
        // The cluster port with no peers and no allow list admits nobody: there is no one to talk to.
        if (listener == GatewayListener.CLUSTER && allow.isEmpty()) {
            return AccessPolicy.nobody(listener, counters);
        }
        return new AccessPolicy(listener, CidrSet.of(allow), CidrSet.parse(config.deny()), counters);
    }

    public GatewayCounters counters() {
        return counters;
    }

    /** The network policy of a listener. */
    public AccessPolicy policy(GatewayListener listener) {
        AccessPolicy p = policies.get(listener);
        return p != null ? p : AccessPolicy.allowAll(listener, counters);
    }

    /** The SIP checks. */
    public SipGuard sip() {
        return sip;
    }

    /**
     * The handlers to put first, in this order, in a TCP listener's child pipeline: the network policy,
     * and for SIP the per-source connection cap and idle timeout.
     */
    public List<io.netty.channel.ChannelHandler> tcpHandlers(GatewayListener listener) {
        AccessPolicyHandler p = policyHandlers.get(listener);
        List<io.netty.channel.ChannelHandler> out = new ArrayList<>(2);
        if (p != null) {
            out.add(p);
        }
        if (listener == GatewayListener.SIP) {
            out.add(sipTcpLimits);
        }
        return out;
    }

    /** Sources exempt from SIP rate limits and INVITE authentication. */
    public CidrSet trusted() {
        return trusted;
    }

    /** The relay's per-stream packet rate cap (0 = none). */
    public int mediaMaxPacketsPerSec() {
        return mediaMaxPacketsPerSec;
    }

    /** Registers the drop counters and the block list gauges. */
    public void register(MetricsRegistry metrics) {
        counters.register(metrics);
        FailureTracker f = sip.failures();
        metrics.gauge("spillway_gateway_blocked_sources", "Sources blocked now after repeated authentication failures.",
            Labels.NONE, f::blockedSources);
        metrics.counter("spillway_gateway_blocks_total", "Blocks imposed after repeated authentication failures.",
            Labels.NONE, f::blocks);
        metrics.gauge("spillway_gateway_rate_sources", "Per-source SIP rate buckets in the table.",
            Labels.NONE, () -> sip.rates().size());
    }
}
