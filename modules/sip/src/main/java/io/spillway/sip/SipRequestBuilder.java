package io.spillway.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a request from scratch (a BYE, OPTIONS, CANCEL or ACK the node sends itself). Via values
 * are written in the order added (topmost first); CSeq uses the request method; Max-Forwards
 * defaults to 70; Content-Length is always written.
 */
public final class SipRequestBuilder {
    private final String method;
    private final String requestUri;
    private final List<String[]> headers = new ArrayList<>();
    private String from;
    private String to;
    private String callId;
    private long cseq = 1;
    private int maxForwards = SipLimits.DEFAULT_MAX_FORWARDS;
    private String contentType;
    private byte[] body;

    /** A request with this method (a token, e.g. {@link SipMethods#BYE}) and Request-URI. */
    public SipRequestBuilder(String method, String requestUri) {
        if (!SipText.isToken(method)) {
            throw new IllegalArgumentException("method is not a token: " + method);
        }
        SipUri.parse(requestUri);
        this.method = method;
        this.requestUri = requestUri;
    }

    /**
     * The CANCEL for a client INVITE (RFC 3261 9.1): same Request-URI, top Via, From, To,
     * Call-ID, CSeq number and Route headers; CSeq method CANCEL.
     */
    public static SipRequestBuilder cancelFor(SipRequest invite) {
        return inDialogCopy(SipMethods.CANCEL, invite, invite.header("To"));
    }

    /**
     * The ACK for a non-2xx final response to a client INVITE (RFC 3261 17.1.1.3): as the
     * INVITE, with To taken from the response (it carries the to-tag) and CSeq method ACK.
     */
    public static SipRequestBuilder ackFor(SipRequest invite, SipResponse response) {
        return inDialogCopy(SipMethods.ACK, invite, response.header("To"));
    }

    private static SipRequestBuilder inDialogCopy(String method, SipRequest invite, String to) {
        SipRequestBuilder b = new SipRequestBuilder(method, invite.requestUriString());
        b.via(invite.topViaValue());
        b.from(invite.header("From")).to(to).callId(invite.callId()).cseq(invite.cseqNumber());
        for (String route : invite.headers("Route")) {
            b.header("Route", route);
        }
        return b;
    }

    /** Adds a Via value below those already added. */
    public SipRequestBuilder via(String value) {
        return header("Via", value);
    }

    /** From value, e.g. {@code <sip:node@10.0.0.1>;tag=abc}. */
    public SipRequestBuilder from(String value) {
        SipMessage.checkHeaderText("From", value);
        this.from = value;
        return this;
    }

    /** To value. */
    public SipRequestBuilder to(String value) {
        SipMessage.checkHeaderText("To", value);
        this.to = value;
        return this;
    }

    /** Call-ID. */
    public SipRequestBuilder callId(String value) {
        SipMessage.checkHeaderText("Call-ID", value);
        this.callId = value;
        return this;
    }

    /** CSeq number (the method is the request's). */
    public SipRequestBuilder cseq(long number) {
        if (number < 0 || number > SipLimits.MAX_CSEQ) {
            throw new IllegalArgumentException("CSeq out of range: " + number);
        }
        this.cseq = number;
        return this;
    }

    /** Max-Forwards (default 70). */
    public SipRequestBuilder maxForwards(int value) {
        if (value < 0 || value > SipLimits.MAX_MAX_FORWARDS) {
            throw new IllegalArgumentException("Max-Forwards out of range: " + value);
        }
        this.maxForwards = value;
        return this;
    }

    /** Any other header, in the order added (Route, Contact, ...). */
    public SipRequestBuilder header(String name, String value) {
        SipMessage.checkHeaderText(name, value);
        headers.add(new String[] {name, value});
        return this;
    }

    /** Body and its Content-Type. */
    public SipRequestBuilder body(String contentType, byte[] body) {
        this.contentType = contentType;
        this.body = body.clone();
        return this;
    }

    /** The request bytes; From, To and Call-ID must have been set. */
    public byte[] toBytes() {
        if (from == null || to == null || callId == null) {
            throw new IllegalStateException("From, To and Call-ID are required");
        }
        StringBuilder sb = new StringBuilder(512);
        sb.append(method).append(' ').append(requestUri).append(" SIP/2.0\r\n");
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase("Via")) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        sb.append("Max-Forwards: ").append(maxForwards).append("\r\n");
        sb.append("From: ").append(from).append("\r\n");
        sb.append("To: ").append(to).append("\r\n");
        sb.append("Call-ID: ").append(callId).append("\r\n");
        sb.append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n");
        for (String[] h : headers) {
            if (!h[0].equalsIgnoreCase("Via")) {
                sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
            }
        }
        if (body != null && contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return head;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.write(head, 0, head.length);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    /** The request as a parsed message. */
    public SipRequest build() {
        return (SipRequest) SipParser.parse(toBytes());
    }
}
