package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AccessPolicyTest {
    @Test
    void denyWinsOverAllowAndEmptyAllowAdmitsTheRest() throws Exception {
        GatewayCounters counters = new GatewayCounters();
        AccessPolicy p = new AccessPolicy(GatewayListener.SIP, CidrSet.EMPTY, CidrSet.parse("203.0.113.0/24"), counters);
        assertTrue(p.admit(InetAddress.getByName("192.0.2.1")));
        assertFalse(p.admit(InetAddress.getByName("203.0.113.9")));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.DENIED));

        AccessPolicy q = new AccessPolicy(GatewayListener.NG, CidrSet.parse("127.0.0.0/8", "::1"),
            CidrSet.parse("127.0.0.66"), counters);
        assertNull(q.verdict(InetAddress.getByName("127.0.0.1")));
        assertNull(q.verdict(InetAddress.getByName("::1")));
        assertEquals(GatewayDropReason.DENIED, q.verdict(InetAddress.getByName("127.0.0.66")));
        assertEquals(GatewayDropReason.NOT_ALLOWED, q.verdict(InetAddress.getByName("192.0.2.1")));
        assertFalse(q.admit(InetAddress.getByName("192.0.2.1")));
        assertFalse(q.admit((InetAddress) null));
        assertEquals(2, counters.drops(GatewayListener.NG, GatewayDropReason.NOT_ALLOWED));
        assertEquals(0, counters.drops(GatewayListener.SIP, GatewayDropReason.NOT_ALLOWED));
    }

    @Test
    void nobodyAdmitsNoOne() throws Exception {
        GatewayCounters counters = new GatewayCounters();
        AccessPolicy p = AccessPolicy.nobody(GatewayListener.CLUSTER, counters);
        assertFalse(p.admit(InetAddress.getByName("127.0.0.1")));
        assertEquals(1, counters.drops(GatewayListener.CLUSTER, GatewayDropReason.NOT_ALLOWED));
    }
}
