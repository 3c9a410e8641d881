package io.spillway.node.testsupport;

import io.spillway.node.call.MediaHook;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A {@link MediaHook} for proxy tests: records every rewrite, failed request and release, rewrites the SDP session
 * name to {@code s=anchored} (so a test can see the rewritten body was forwarded), and lets a test
 * make the relay "end" a call ({@link #endMedia}) or make rewrites fail ({@link #behaviour}).
 */
public final class RecordingMediaHook implements MediaHook {
    /** One rewrite call: what the proxy passed. */
    public record Rewrite(String callId, String callerTag, String what, boolean fromCaller) {
    }

    /** One release call. */
    public record Release(String callId, String callerTag, String reason) {
    }

    /** One requestFailed call. */
    public record Failure(String callId, String callerTag, boolean fromCaller, long cseq, String method) {
    }

    public final List<Rewrite> rewrites = new CopyOnWriteArrayList<>();
    public final List<Failure> failures = new CopyOnWriteArrayList<>();
    public final List<Release> releases = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private volatile Function<SipMessage, CompletableFuture<byte[]>> behaviour;

    /** Replaces the default rewrite (e.g. a failed future, or one completed later from another thread). */
    public void behaviour(Function<SipMessage, CompletableFuture<byte[]>> value) {
        this.behaviour = value;
    }

    /** The default rewrite: {@code s=...} becomes {@code s=anchored}. */
    public static byte[] anchored(SipMessage message) {
        return message.bodyAsString().replaceAll("(?m)^s=.*$", "s=anchored").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<byte[]> rewrite(String callId, String callerTag, SipMessage message, boolean fromCaller) {
        String what = message instanceof SipRequest r ? r.method() : Integer.toString(((SipResponse) message).statusCode());
        rewrites.add(new Rewrite(callId, callerTag, what, fromCaller));
        Function<SipMessage, CompletableFuture<byte[]>> b = behaviour;
        return b != null ? b.apply(message) : CompletableFuture.completedFuture(anchored(message));
    }

    @Override
    public void requestFailed(String callId, String callerTag, boolean fromCaller, long cseq, String method) {
        failures.add(new Failure(callId, callerTag, fromCaller, cseq, method));
    }

    @Override
    public void release(String callId, String callerTag, String reason) {
        releases.add(new Release(callId, callerTag, reason));
    }

    @Override
    public void onMediaEnded(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    /** Tells the proxy the relay ended this call. */
    public void endMedia(String callId, String callerTag) {
        for (BiConsumer<String, String> l : listeners) {
            l.accept(callId, callerTag);
        }
    }
}
