package io.spillway.node.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.config.RegistrarConfig;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipRequestBuilder;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipUri;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every REGISTER rule of RFC 3261 10.3 the registrar implements, on an injected clock. */
@Timeout(10)
class RegistrarTest {
    private static final InetSocketAddress SOURCE = new InetSocketAddress("127.0.0.1", 5062);

    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final InMemoryLocationStore store = new InMemoryLocationStore(nowMs::get);
    private final Registrar registrar = new Registrar(store,
        new RegistrarConfig(Duration.ofSeconds(60), Duration.ofSeconds(3600), Duration.ofSeconds(1800), 3),
        List.of("example.com"), nowMs::get);

    private static SipRequest register(String callId, long cseq, String expires, String... contacts) {
        SipRequestBuilder b = new SipRequestBuilder("REGISTER", "sip:example.com")
            .via("SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK" + callId + cseq)
            .from("<sip:alice@example.com>;tag=f" + cseq)
            .to("<sip:alice@example.com>")
            .callId(callId)
            .cseq(cseq);
        for (String c : contacts) {
            b.header("Contact", c);
        }
        if (expires != null) {
            b.header("Expires", expires);
        }
        return b.build();
    }

    private SipResponse handle(SipRequest r) {
        return registrar.handle(r, SOURCE);
    }

    private static List<NameAddr> contacts(SipResponse r) {
        return r.contacts();
    }

    private List<String> lookup() {
        List<String> out = new ArrayList<>();
        for (SipUri u : store.lookup("alice", "EXAMPLE.com")) {
            out.add(u.toString());
        }
        return out;
    }

    @Test
    void addBindsTheContactWithTheDefaultExpiresAndAnswersWithIt() {
        SipResponse r = handle(register("c1", 1, null, "<sip:alice@10.0.0.1:5062>"));
        assertEquals(200, r.statusCode());
        assertNotNull(r.toTag(), "the registrar adds a To tag");
        assertEquals(1, contacts(r).size());
        assertEquals("sip:alice@10.0.0.1:5062", contacts(r).get(0).uri().toString());
        assertEquals(1800, contacts(r).get(0).expires());
        assertEquals(List.of("sip:alice@10.0.0.1:5062"), lookup());
        assertEquals(SOURCE, store.bindings("alice@example.com").get(0).source());
    }

    @Test
    void expiresHeaderAppliesWhenTheContactHasNoExpiresParameter() {
        SipResponse r = handle(register("c1", 1, "120", "<sip:alice@10.0.0.1>", "<sip:alice@10.0.0.2>;expires=300"));
        assertEquals(200, r.statusCode());
        assertEquals(120, expiresOf(r, "sip:alice@10.0.0.1"));
        assertEquals(300, expiresOf(r, "sip:alice@10.0.0.2"));
    }

    @Test
    void refreshWithAHigherCseqExtendsTheBinding() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        nowMs.addAndGet(500_000);
        SipResponse r = handle(register("c1", 2, "600", "<sip:alice@10.0.0.1>"));
        assertEquals(200, r.statusCode());
        assertEquals(1, contacts(r).size());
        assertEquals(600, contacts(r).get(0).expires());
        nowMs.addAndGet(500_000);
        assertEquals(List.of("sip:alice@10.0.0.1"), lookup(), "refreshed: still bound after the first expiry");
    }

    @Test
    void expiresZeroRemovesOneContactAndKeepsTheOthers() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>", "<sip:alice@10.0.0.2>"));
        SipResponse r = handle(register("c1", 2, null, "<sip:alice@10.0.0.1>;expires=0"));
        assertEquals(200, r.statusCode());
        assertEquals(List.of("sip:alice@10.0.0.2"), lookup());
        assertEquals(1, contacts(r).size());
    }

    @Test
    void wildcardWithExpiresZeroRemovesEveryBinding() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        handle(register("other", 7, "600", "<sip:alice@10.0.0.2>"));
        SipResponse r = handle(register("c1", 2, "0", "*"));
        assertEquals(200, r.statusCode());
        assertTrue(contacts(r).isEmpty());
        assertTrue(lookup().isEmpty());
        assertEquals(0, store.size());
    }

    @Test
    void wildcardWithoutExpiresZeroOrWithOtherContactsIsABadRequest() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        assertEquals(400, handle(register("c1", 2, "60", "*")).statusCode());
        assertEquals(400, handle(register("c1", 3, null, "*")).statusCode());
        assertEquals(400, handle(register("c1", 4, "0", "*", "<sip:alice@10.0.0.9>")).statusCode());
        assertEquals(List.of("sip:alice@10.0.0.1"), lookup());
    }

    @Test
    void severalContactsAreRankedByQThenMostRecent() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>;q=0.5", "<sip:alice@10.0.0.2>;q=0.9"));
        nowMs.addAndGet(1000);
        SipResponse r = handle(register("c2", 1, "600", "<sip:alice@10.0.0.3>;q=0.5"));
        assertEquals(3, contacts(r).size());
        assertEquals(List.of("sip:alice@10.0.0.2", "sip:alice@10.0.0.3", "sip:alice@10.0.0.1"), lookup());
        assertEquals(0.9, contacts(r).get(0).q());
    }

    @Test
    void bindingsLapseOnTheClockAndTheStoreIsPurged() {
        handle(register("c1", 1, "60", "<sip:alice@10.0.0.1>"));
        handle(register("c1", 2, "120", "<sip:alice@10.0.0.2>"));
        nowMs.addAndGet(59_999);
        assertEquals(2, lookup().size());
        SipResponse query = handle(register("c1", 3, null));
        assertEquals(1, expiresOf(query, "sip:alice@10.0.0.1"), "remaining seconds round up");
        nowMs.addAndGet(1);
        assertEquals(List.of("sip:alice@10.0.0.2"), lookup());
        assertEquals(1, store.purgeExpired());
        assertEquals(1, store.size());
        nowMs.addAndGet(60_000);
        assertTrue(lookup().isEmpty());
        assertEquals(1, store.purgeExpired());
        assertEquals(0, store.size());
    }

    @Test
    void tooShortGets423WithMinExpiresAndChangesNothing() {
        SipResponse r = handle(register("c1", 1, null, "<sip:alice@10.0.0.1>;expires=30"));
        assertEquals(423, r.statusCode());
        assertEquals("60", r.header("Min-Expires"));
        assertTrue(lookup().isEmpty());
        SipResponse viaHeader = handle(register("c1", 2, "59", "<sip:alice@10.0.0.1>"));
        assertEquals(423, viaHeader.statusCode());
        assertEquals(200, handle(register("c1", 3, "60", "<sip:alice@10.0.0.1>")).statusCode());
    }

    @Test
    void tooLongIsClampedToTheMaximum() {
        SipResponse r = handle(register("c1", 1, "86400", "<sip:alice@10.0.0.1>"));
        assertEquals(200, r.statusCode());
        assertEquals(3600, contacts(r).get(0).expires());
    }

    @Test
    void sameCallIdWithANotHigherCseqFailsWith500AndChangesNothing() {
        handle(register("c1", 5, "600", "<sip:alice@10.0.0.1>"));
        SipResponse older = handle(register("c1", 4, "0", "<sip:alice@10.0.0.1>"));
        assertEquals(500, older.statusCode());
        SipResponse same = handle(register("c1", 5, "0", "<sip:alice@10.0.0.1>"));
        assertEquals(500, same.statusCode());
        assertEquals(List.of("sip:alice@10.0.0.1"), lookup());
        assertEquals(500, handle(register("c1", 3, "0", "*")).statusCode(), "wildcard obeys the order too");
        assertEquals(List.of("sip:alice@10.0.0.1"), lookup());
    }

    @Test
    void aDifferentCallIdMayUseAnyCseq() {
        handle(register("c1", 5, "600", "<sip:alice@10.0.0.1>"));
        SipResponse r = handle(register("c2", 1, "0", "<sip:alice@10.0.0.1>"));
        assertEquals(200, r.statusCode());
        assertTrue(lookup().isEmpty());
    }

    @Test
    void oneStaleContactAbortsTheWholeRequest() {
        handle(register("c1", 5, "600", "<sip:alice@10.0.0.1>"));
        SipResponse r = handle(register("c1", 5, "600", "<sip:alice@10.0.0.2>", "<sip:alice@10.0.0.1>"));
        assertEquals(500, r.statusCode());
        assertEquals(List.of("sip:alice@10.0.0.1"), lookup(), "10.0.0.2 was not added");
    }

    @Test
    void aRequestWithoutContactListsTheCurrentBindings() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        SipResponse r = handle(register("c9", 1, null));
        assertEquals(200, r.statusCode());
        assertEquals(1, contacts(r).size());
        assertEquals(600, contacts(r).get(0).expires());
    }

    @Test
    void urisDifferingOnlyInHostCaseAreOneBinding() {
        handle(register("c1", 1, "600", "<sip:alice@Host.Example:5062>"));
        handle(register("c1", 2, "600", "<sip:alice@host.example:5062>"));
        assertEquals(1, lookup().size());
    }

    @Test
    void foreignDomainsAreRefused() {
        SipRequest r = new SipRequestBuilder("REGISTER", "sip:elsewhere.org")
            .via("SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKx")
            .from("<sip:bob@elsewhere.org>;tag=1").to("<sip:bob@elsewhere.org>").callId("x").cseq(1)
            .header("Contact", "<sip:bob@10.0.0.1>").build();
        assertEquals(404, handle(r).statusCode());
        assertEquals(0, store.size());
    }

    @Test
    void moreContactsThanAllowedAreForbidden() {
        SipResponse r = handle(register("c1", 1, "600", "<sip:a@10.0.0.1>", "<sip:a@10.0.0.2>",
            "<sip:a@10.0.0.3>", "<sip:a@10.0.0.4>"));
        assertEquals(403, r.statusCode());
        assertEquals(0, store.size());
    }

    @Test
    void unsupportedRequireGets420() {
        SipRequest r = new SipRequestBuilder("REGISTER", "sip:example.com")
            .via("SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKy")
            .from("<sip:alice@example.com>;tag=1").to("<sip:alice@example.com>").callId("y").cseq(1)
            .header("Require", "gruu").header("Contact", "<sip:alice@10.0.0.1>").build();
        SipResponse resp = handle(r);
        assertEquals(420, resp.statusCode());
        assertEquals("gruu", resp.header("Unsupported"));
    }

    @Test
    void malformedExpiresOrQIsABadRequest() {
        assertEquals(400, handle(register("c1", 1, null, "<sip:alice@10.0.0.1>;expires=soon")).statusCode());
        assertEquals(400, handle(register("c1", 2, null, "<sip:alice@10.0.0.1>;q=1.5")).statusCode());
        assertEquals(400, handle(register("c1", 3, "-5", "<sip:alice@10.0.0.1>")).statusCode());
        assertEquals(0, store.size());
    }

    @Test
    void registeredAndRejectedAreCounted() {
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        handle(register("c1", 1, "600", "<sip:alice@10.0.0.1>"));
        assertEquals(1, registrar.registered());
        assertEquals(1, registrar.rejected());
    }

    private static long expiresOf(SipResponse r, String uri) {
        for (NameAddr c : r.contacts()) {
            if (c.uri().toString().equals(uri)) {
                return c.expires();
            }
        }
        throw new AssertionError("no contact " + uri + " in " + r);
    }
}
