package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.registrar.InMemoryLocationStore;
import io.spillway.node.registrar.Registrar;
import io.spillway.node.sip.proxy.NoMediaHook;
import io.spillway.node.testsupport.SipTestNode;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** REGISTER through the proxy to the registrar, then an INVITE to the registered user reaches its contact. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipRegistrarTest {
    @Test
    void registeredUserIsReachable() throws Exception {
        LongSupplier nowMs = () -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        InMemoryLocationStore store = new InMemoryLocationStore(nowMs);
        Registrar registrar = new Registrar(store,
            ConfigLoader.load(new ConfigSource(null, List.of())).registrar(), List.of("example.net"), nowMs);
        try (SipUdpClient phone = new SipUdpClient(); SipUdpClient caller = new SipUdpClient();
             SipTestNode node = SipTestNode.start(new SipComponent(new NoMediaHook(), store, registrar),
                 "sip.domains=example.net")) {
            phone.send("REGISTER sip:example.net SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bKreg1;rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@example.net>;tag=r1\r\nTo: <sip:alice@example.net>\r\n"
                + "Call-ID: reg1@test\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@127.0.0.1:$PORT>\r\n"
                + "Expires: 300\r\nContent-Length: 0\r\n\r\n", node.udp());
            SipResponse ok = (SipResponse) phone.receive(5000);
            assertNotNull(ok);
            assertEquals(200, ok.statusCode(), ok.toString());
            caller.send(SipProxyTest.invite("sip:alice@example.net", "toalice", ""), node.udp());
            SipMessage m = phone.receive(5000);
            assertNotNull(m, "the INVITE reaches the registered contact");
            assertEquals("sip:alice@127.0.0.1:" + phone.port(), ((SipRequest) m).requestUriString());
        }
    }
}
