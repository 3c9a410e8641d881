package io.spillway.node.testsupport;

import io.spillway.node.sip.SipComponent;
import io.spillway.node.sip.transport.SipDestination;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * A SIPp caller (UAC) → in-process node → SIPp callee (UAS) set-up: picks the callee's port, starts
 * the node with a static route {@code 1000 → sip:127.0.0.1:<callee port>}, starts the callee, then
 * the caller calling user {@code 1000} at the node. Tests then {@link #await} both SIPp processes and
 * look at the node ({@link #node()}) — its SIP metrics today, the relay's counters once media
 * anchoring is wired in ({@link Builder#sip(SipComponent)} takes a component with a real MediaHook).
 */
public final class SippCall implements AutoCloseable {
    private final SipTestNode node;
    private final Sipp uas;
    private final Sipp uac;

    private SippCall(SipTestNode node, Sipp uas, Sipp uac) {
        this.node = node;
        this.uas = uas;
        this.uac = uac;
    }

    public static Builder builder(String uacScenario, String uasScenario) {
        return new Builder(uacScenario, uasScenario);
    }

    /** How to set up one run. */
    public static final class Builder {
        private final String uacScenario;
        private final String uasScenario;
        private int calls = 1;
        private final List<String> uacArgs = new ArrayList<>();
        private final List<String> uasArgs = new ArrayList<>();
        private final List<String> nodeOverrides = new ArrayList<>();
        private SipComponent sip;
        private boolean tcp;
        private LongPredicate dropToCallee = n -> false;

        private Builder(String uacScenario, String uasScenario) {
            this.uacScenario = uacScenario;
            this.uasScenario = uasScenario;
        }

        public Builder calls(int n) {
            this.calls = n;
            return this;
        }

        public Builder uacArgs(String... args) {
            uacArgs.addAll(List.of(args));
            return this;
        }

        public Builder uasArgs(String... args) {
            uasArgs.addAll(List.of(args));
            return this;
        }

        /** Node config overrides, e.g. {@code sip.t1=100ms}. */
        public Builder node(String... overrides) {
            nodeOverrides.addAll(List.of(overrides));
            return this;
        }

        /** The SIP component to run (default: no media anchoring, no registrar). */
        public Builder sip(SipComponent component) {
            this.sip = component;
            return this;
        }

        /**
         * Loss on the node's send path: the n-th datagram (1, 2, ...) the node sends to the callee is
         * dropped when {@code nth} accepts n.
         */
        public Builder dropToCallee(LongPredicate nth) {
            this.dropToCallee = nth;
            return this;
        }

        /** Both legs over TCP. */
        public Builder tcp() {
            this.tcp = true;
            return this;
        }

        public SippCall start() throws Exception {
            Sipp uas = Sipp.uas(uasScenario, calls);
            List<String> overrides = new ArrayList<>(nodeOverrides);
            overrides.add("routes.0.prefix=1000");
            overrides.add("routes.0.uri=sip:127.0.0.1:" + uas.port() + (tcp ? ";transport=tcp" : ""));
            SipTestNode node = null;
            Sipp uac = null;
            try {
                AtomicLong sentToCallee = new AtomicLong();
                int calleePort = uas.port();
                LongPredicate nth = dropToCallee;
                Predicate<SipDestination> drop = d -> d.address().getPort() == calleePort
                    && nth.test(sentToCallee.incrementAndGet());
                node = SipTestNode.start(sip != null ? sip : new SipComponent(), drop, overrides.toArray(String[]::new));
                if (tcp) {
                    uas.with("-t", "t1");
                }
                uas.with(uasArgs.toArray(String[]::new)).start();
                uac = Sipp.uac(uacScenario, tcp ? node.tcp() : node.udp(), calls).with("-s", "1000");
                if (tcp) {
                    uac.with("-t", "t1");
                }
                uac.with(uacArgs.toArray(String[]::new));
                Thread.sleep(200); // let the callee bind before the first INVITE arrives
                uac.start();
                return new SippCall(node, uas, uac);
            } catch (Exception | Error e) {
                if (uac != null) {
                    uac.close();
                }
                uas.close();
                if (node != null) {
                    node.close();
                }
                throw e;
            }
        }
    }

    public SipTestNode node() {
        return node;
    }

    public Sipp uac() {
        return uac;
    }

    public Sipp uas() {
        return uas;
    }

    /** Waits for the caller, then the callee; returns {uac exit, uas exit}. */
    public int[] await(Duration timeout) throws InterruptedException {
        int a = uac.awaitExit(timeout);
        int b = uas.awaitExit(timeout);
        return new int[] {a, b};
    }

    /** Both SIPp reports and the node's SIP metrics, for assertion messages. */
    public String report() {
        StringBuilder sb = new StringBuilder(uac.report()).append(uas.report()).append("--- node metrics\n");
        for (String line : node.metrics().split("\n")) {
            if (line.startsWith("spillway_sip")) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            uac.close();
            uas.close();
        } finally {
            node.close();
        }
    }
}
