package io.spillway.node.registrar;

import io.spillway.node.config.RegistrarConfig;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import io.spillway.sip.SipUri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The registrar of the node's domains: turns a REGISTER into binding changes in a {@link
 * LocationStore} and the response to send (RFC 3261 10.3). Stateless apart from the store; the SIP
 * proxy calls {@link #handle} for every REGISTER whose Request-URI names one of the node's domains
 * and sends the returned response back (statelessly or through its server transaction).
 *
 * <p>Rules: a contact's {@code expires} parameter, else the Expires header, else the default;
 * 0 removes, shorter than the minimum gets 423 with Min-Expires, longer than the maximum is
 * clamped; {@code Contact: *} needs Expires 0 and no other contact; an existing binding written
 * with the same Call-ID and a CSeq not higher fails the request with 500 and changes nothing; all
 * changes of one request are committed together; the 200 lists every live contact with its
 * remaining expires. Thread-safe.
 */
public final class Registrar implements RegisterHandler {
    private final LocationStore store;
    private final RegistrarConfig config;
    private final Set<String> domains;
    private final LongSupplier nowMs;
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /**
     * @param domains lower-case domains served; empty serves any Request-URI host
     * @param nowMs the clock of binding expiry (must be the store's clock)
     */
    public Registrar(LocationStore store, RegistrarConfig config, List<String> domains, LongSupplier nowMs) {
        this.store = store;
        this.config = config;
        this.domains = Set.copyOf(domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList());
        this.nowMs = nowMs;
    }

    /** True when {@code host} is one of the node's domains (or the node serves any). */
    public boolean isLocalDomain(String host) {
        return domains.isEmpty() || host != null && domains.contains(host.toLowerCase(Locale.ROOT));
    }

    /** The store behind this registrar, also the proxy's {@link LocationService}. */
    public LocationStore store() {
        return store;
    }

    /**
     * Processes one REGISTER.
     *
     * @param register a parsed REGISTER request
     * @param source where it came from (kept with the binding for diagnostics), may be null
     * @return the final response to send
     */
    @Override
    public SipResponse handle(SipRequest register, InetSocketAddress source) {
        try {
            SipResponse response = process(register, source);
            if (response.statusCode() == 200) {
                registered.incrementAndGet();
            } else {
                rejected.incrementAndGet();
            }
            return response;
        } catch (RegistrarFailure f) {
            rejected.incrementAndGet();
            SipResponseBuilder b = reply(register, f.status, f.reason);
            if (f.status == 423) {
                b.header("Min-Expires", Long.toString(config.minExpires().toSeconds()));
            }
            return b.build();
        } catch (SipParseException e) {
            rejected.incrementAndGet();
            return reply(register, 400, "Bad Request (" + oneLine(e.getMessage()) + ")").build();
        }
    }

    private SipResponse process(SipRequest register, InetSocketAddress source) {
        if (!register.isMethod(SipMethods.REGISTER)) {
            throw new RegistrarFailure(405, "Method Not Allowed");
        }
        SipUri requestUri = register.requestUri();
        if (!requestUri.isSip() || !isLocalDomain(requestUri.host())) {
            throw new RegistrarFailure(404, "Not Found (not a domain of this registrar)");
        }
        List<String> require = register.require();
        if (!require.isEmpty()) {
            return reply(register, 420, "Bad Extension").header("Unsupported", String.join(", ", require)).build();
        }
        NameAddr to = register.to();
        if (to == null || to.uri() == null || !to.uri().isSip() || to.uri().user() == null) {
            throw new RegistrarFailure(404, "Not Found (To is not a sip: address of record with a user)");
        }
        if (!isLocalDomain(to.uri().host())) {
            throw new RegistrarFailure(404, "Not Found (address of record not in a domain of this registrar)");
        }
        String aor = Binding.aorKey(to.uri().user(), to.uri().host());
        String callId = register.callId();
        long cseq = register.cseqNumber();
        long headerExpires = register.expires();
        List<NameAddr> contacts = register.contacts();
        long now = nowMs.getAsLong();
        List<Binding> after;
        if (contacts.isEmpty()) {
            after = store.bindings(aor);
        } else if (contacts.stream().anyMatch(NameAddr::isWildcard)) {
            if (contacts.size() != 1 || headerExpires != 0) {
                throw new RegistrarFailure(400, "Bad Request (Contact: * needs Expires: 0 and no other contact)");
            }
            after = store.update(aor, current -> {
                for (Binding b : current) {
                    checkOrder(b, callId, cseq);
                }
                return List.of();
            });
        } else {
            Map<String, Change> changes = changes(contacts, headerExpires);
            if (changes.size() > config.maxContacts()) {
                throw new RegistrarFailure(403, "Forbidden (more than " + config.maxContacts() + " contacts)");
            }
            after = store.update(aor, current -> apply(current, changes, aor, callId, cseq, now, source));
        }
        SipResponseBuilder ok = reply(register, 200, "OK");
        for (Binding b : after) {
            StringBuilder contact = new StringBuilder().append('<').append(b.contact()).append(">;expires=")
                .append(b.remainingSeconds(now));
            if (b.q() >= 0) {
                contact.append(";q=").append(formatQ(b.q()));
            }
            ok.header("Contact", contact.toString());
        }
        return ok.build();
    }

    /** One contact of the request: its URI, q and granted expires (0 = remove). */
    private record Change(SipUri uri, double q, long expiresSeconds) {
    }

    private Map<String, Change> changes(List<NameAddr> contacts, long headerExpires) {
        long min = config.minExpires().toSeconds();
        long max = config.maxExpires().toSeconds();
        Map<String, Change> changes = new LinkedHashMap<>();
        for (NameAddr c : contacts) {
            if (c.uri() == null) {
                throw new RegistrarFailure(400, "Bad Request (Contact without a URI)");
            }
            long expires = c.expires();
            if (expires < 0) {
                expires = headerExpires >= 0 ? headerExpires : config.defaultExpires().toSeconds();
            }
            if (expires > 0 && expires < min) {
                throw new RegistrarFailure(423, "Interval Too Brief");
            }
            changes.put(Binding.contactKey(c.uri()), new Change(c.uri(), c.q(), Math.min(expires, max)));
        }
        return changes;
    }

    private static List<Binding> apply(List<Binding> current, Map<String, Change> changes, String aor,
                                       String callId, long cseq, long now, InetSocketAddress source) {
        List<Binding> next = new ArrayList<>(current.size() + changes.size());
        Map<String, Change> pending = new LinkedHashMap<>(changes);
        for (Binding b : current) {
            Change change = pending.remove(Binding.contactKey(b.contact()));
            if (change == null) {
                next.add(b);
                continue;
            }
            checkOrder(b, callId, cseq);
            if (change.expiresSeconds() > 0) {
                next.add(binding(aor, change, callId, cseq, now, source));
            }
        }
        for (Change change : pending.values()) {
            if (change.expiresSeconds() > 0) {
                next.add(binding(aor, change, callId, cseq, now, source));
            }
        }
        return next;
    }

    private static Binding binding(String aor, Change c, String callId, long cseq, long now,
                                   InetSocketAddress source) {
        return new Binding(aor, c.uri(), c.q(), now + c.expiresSeconds() * 1000, callId, cseq, now, source);
    }

    /** RFC 3261 10.3 step 7: same Call-ID with a CSeq not higher than the binding's aborts the request. */
    private static void checkOrder(Binding b, String callId, long cseq) {
        if (b.callId().equals(callId) && cseq <= b.cseq()) {
            throw new RegistrarFailure(500, "Server Internal Error (REGISTER out of order: CSeq " + cseq
                + " is not higher than " + b.cseq() + ")");
        }
    }

    private static SipResponseBuilder reply(SipRequest request, int status, String reason) {
        return SipResponseBuilder.forRequest(request, status, reason)
            .toTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    private static String formatQ(double q) {
        String s = String.format(Locale.ROOT, "%.3f", q);
        while (s.endsWith("0") && s.indexOf('.') < s.length() - 2) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }

    /** REGISTERs answered 200. */
    public long registered() {
        return registered.get();
    }

    /** REGISTERs answered with an error. */
    public long rejected() {
        return rejected.get();
    }

    /** A rule the request broke: the response status and reason phrase. */
    private static final class RegistrarFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String reason;

        RegistrarFailure(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
            this.reason = reason;
        }
    }
}
