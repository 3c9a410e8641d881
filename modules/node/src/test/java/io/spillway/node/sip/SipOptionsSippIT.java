package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.node.testsupport.SipTestNode;
import io.spillway.node.testsupport.Sipp;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SIPp's OPTIONS against a running node, over UDP and TCP. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SipOptionsSippIT {
    @Test
    void sippOptionsOverUdpGets200() throws Exception {
        try (SipTestNode node = SipTestNode.start();
             Sipp sipp = Sipp.uac("options.xml", node.udp(), 1)) {
            sipp.start();
            assertEquals(0, sipp.awaitExit(Duration.ofSeconds(40)), sipp.report());
        }
    }

    @Test
    void sippOptionsOverTcpGets200() throws Exception {
        try (SipTestNode node = SipTestNode.start();
             Sipp sipp = Sipp.uac("options.xml", node.tcp(), 3).with("-t", "t1")) {
            sipp.start();
            assertEquals(0, sipp.awaitExit(Duration.ofSeconds(40)), sipp.report());
        }
    }
}
