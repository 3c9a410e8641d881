package io.spillway.node.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ViaStampTest {

    private static SipRequest request(String via) {
        return SipParser.parseRequest(("OPTIONS sip:a@b SIP/2.0\r\nVia: " + via + "\r\nFrom: <sip:a@b>;tag=1\r\n"
                + "To: <sip:a@b>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void stampsAnIpv6SourceInTheRfc3261FormAndRoutesTheResponseBack() throws Exception {
        SipRequest r = request("SIP/2.0/UDP phone.example.com:5070;branch=z9hG4bK1;rport");
        ViaStamp.stamp(r, new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5071));
        String stamped = r.header("Via");
        assertTrue(stamped.contains(";received=2001:db8::7"), stamped);
        assertTrue(stamped.contains(";rport=5071"), stamped);
        // the stamped request re-parses and its response goes to the packet's source
        SipRequest again = SipParser.parseRequest(r.toBytes());
        assertEquals("2001:db8::7", again.topVia().received());
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 5071),
                ViaStamp.responseAddress(again.topVia()));
    }

    @Test
    void readsBothFormsOfAnIpv6Received() throws Exception {
        InetSocketAddress expected = new InetSocketAddress(InetAddress.getByName("2001:db8::8"), 5072);
        for (String received : new String[] {"2001:db8::8", "[2001:db8::8]"}) {
            Via v = Via.parse("SIP/2.0/UDP host.example.com;branch=z9hG4bK2;received=" + received + ";rport=5072");
            assertEquals(expected, ViaStamp.responseAddress(v), received);
        }
        InetSocketAddress sentBy = ViaStamp.responseAddress(Via.parse("SIP/2.0/UDP [2001:db8::9]:5080;branch=z9hG4bK3"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("2001:db8::9"), 5080), sentBy);
    }
}
