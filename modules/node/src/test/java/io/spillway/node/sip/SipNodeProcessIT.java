package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.NodeProcess;
import io.spillway.node.testsupport.Sipp;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The daemon started with {@code tools/spillway run}: SIPp OPTIONS and a SIPp call through it, metrics. */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SipNodeProcessIT {
    @Test
    void runnableNodeAnswersOptionsAndCarriesACall() throws Exception {
        int sipPort = FreePorts.tcpAndUdp();
        int adminPort = FreePorts.tcpAndUdp();
        try (Sipp uas = Sipp.uas("uas_call.xml", 1);
             NodeProcess node = NodeProcess.start(List.of("run",
                 "--set", "admin.listen=127.0.0.1:" + adminPort,
                 "--set", "sip.udp_port=" + sipPort,
                 "--set", "sip.tcp_port=" + sipPort,
                 "--set", "cluster.control_listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
                 "--set", "ng.listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
                 "--set", "media.event_loops=1",
                 "--set", "routes.0.prefix=1000",
                 "--set", "routes.0.uri=sip:127.0.0.1:" + uas.port()), Map.of())) {
            node.awaitLine("SIP listening on UDP [/127.0.0.1:" + sipPort, Duration.ofSeconds(60));
            InetSocketAddress sip = new InetSocketAddress("127.0.0.1", sipPort);
            try (Sipp options = Sipp.uac("options.xml", sip, 1)) {
                options.start();
                assertEquals(0, options.awaitExit(Duration.ofSeconds(40)), options.report());
            }
            uas.start();
            Thread.sleep(200);
            try (Sipp uac = Sipp.uac("uac_call.xml", sip, 1).with("-s", "1000", "-d", "200")) {
                uac.start();
                assertEquals(0, uac.awaitExit(Duration.ofSeconds(40)), uac.report());
            }
            assertEquals(0, uas.awaitExit(Duration.ofSeconds(40)), uas.report());
            String metrics = new AdminClient("127.0.0.1", adminPort).get("/metrics").body();
            assertTrue(metrics.contains("spillway_sip_requests_total{method=\"INVITE\"} 1"), metrics);
            assertTrue(metrics.contains("spillway_sip_requests_total{method=\"OPTIONS\"} 1"), metrics);
            node.terminate();
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), String.join("\n", node.output()));
        }
    }
}
