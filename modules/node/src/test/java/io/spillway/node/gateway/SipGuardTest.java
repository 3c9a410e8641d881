package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SIP checks in order: policy, block list, trusted exemption, rate (own bucket or overflow). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipGuardTest {
    private static final long S = 1_000_000_000L;

    @Test
    void checksRunInOrderAndCountTheirReason() throws Exception {
        AtomicLong now = new AtomicLong(S);
        GatewayCounters counters = new GatewayCounters();
        AccessPolicy policy = new AccessPolicy(GatewayListener.SIP, CidrSet.EMPTY, CidrSet.parse("203.0.113.0/24"), counters);
        SourceRateTable rates = new SourceRateTable(1, 2, 16, 60 * S, now::get);
        FailureTracker failures = new FailureTracker(1, 60 * S, 60 * S, 100, now::get);
        SipGuard guard = new SipGuard(policy, rates, failures, null, CidrSet.parse("10.0.0.0/8"), counters);

        assertFalse(guard.admit(InetAddress.getByName("203.0.113.5")));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.DENIED));

        InetAddress blocked = InetAddress.getByName("192.0.2.66");
        failures.recordFailure(blocked);
        assertFalse(guard.admit(blocked));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.BLOCKED));

        InetAddress a = InetAddress.getByName("192.0.2.1");
        assertTrue(guard.admit(a));
        assertTrue(guard.admit(a));
        assertFalse(guard.admit(a));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.RATE_LIMITED));

        InetAddress trunk = InetAddress.getByName("10.9.9.9");
        for (int i = 0; i < 100; i++) {
            assertTrue(guard.admit(trunk), "trusted sources are not rate limited");
        }

        for (int i = 0; i < 15; i++) {
            guard.admit(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) i}));
        }
        assertEquals(16, rates.size());
        int overflowAdmitted = 0;
        for (int i = 100; i < 120; i++) {
            overflowAdmitted += guard.admit(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) i})) ? 1 : 0;
        }
        assertEquals(2, overflowAdmitted, "new sources share the overflow bucket while the table is full");
        assertEquals(18, counters.drops(GatewayListener.SIP, GatewayDropReason.TABLE_FULL));
        assertTrue(guard.authorize(null, a).proceeds(), "authentication off: every request passes");
    }
}
