package io.spillway.node.call;

import io.spillway.sip.sdp.SdpSession;
import java.math.BigInteger;

/**
 * The {@code o=} session version of the SDPs the relay forwards from one party (RFC 3264 section 8:
 * an SDP that differs from the previous one must carry a higher version; one that does not may keep
 * it). The anchor's rewrite is not a function of the party's SDP alone (an answer says what the
 * relay agreed with the other side, e.g. rtcp-mux, an offer what the party asks), so the party's own
 * version is not always enough: the same SDP from the party can come out changed.
 *
 * <p>Rule: the first SDP of an origin (username, session id, address) keeps the party's version.
 * Then an SDP that comes out identical, with the party's version unchanged, keeps the version last
 * sent; a party's increment is passed on as it is; an SDP that changed only through the rewrite gets
 * the last version sent plus one. Not thread-safe: used from the call's chained operations.
 */
final class OriginVersions {
    /** RFC 8866 gives no bound; one larger than this is passed through as the party wrote it. */
    private static final int MAX_DIGITS = 20;

    private String origin;
    private BigInteger partyVersion;
    private BigInteger sentVersion;
    private String sentBody;

    /**
     * Sets the version of {@code rewritten} (the party's SDP after the anchor's rewrite, its o=
     * version still the party's) and returns its bytes.
     */
    byte[] stamp(SdpSession rewritten) {
        String text = rewritten.originVersion();
        if (text == null || text.length() > MAX_DIGITS || !isDigits(text)) {
            return rewritten.toBytes();
        }
        BigInteger party = new BigInteger(text);
        String key = originKey(rewritten);
        rewritten.setOriginVersion("0");
        String body = rewritten.toString();
        BigInteger out;
        if (sentVersion == null || !key.equals(origin)) {
            out = party;
        } else if (party.equals(partyVersion)) {
            out = body.equals(sentBody) ? sentVersion : sentVersion.add(BigInteger.ONE);
        } else if (party.compareTo(partyVersion) > 0) {
            out = sentVersion.add(party.subtract(partyVersion));
        } else {
            out = sentVersion.add(BigInteger.ONE);
        }
        String outText = out.toString();
        if (outText.length() > MAX_DIGITS) {
            outText = text;
            out = party;
        }
        origin = key;
        partyVersion = party;
        sentVersion = out;
        sentBody = body;
        rewritten.setOriginVersion(outText);
        return rewritten.toBytes();
    }

    /** The o= line without its version: what identifies the session description's origin. */
    private static String originKey(SdpSession sdp) {
        for (String line : sdp.sessionLines()) {
            if (line.startsWith("o=")) {
                String[] f = line.substring(2).split(" ");
                return f[0] + ' ' + f[1] + ' ' + f[3] + ' ' + f[4] + ' ' + f[5];
            }
        }
        return "";
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
