package io.spillway.node.sip.proxy;

import io.spillway.node.call.MediaHook;
import io.spillway.sip.SipMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** A {@link MediaHook} that anchors nothing: SDP passes unchanged. For a signalling-only node and tests. */
public final class NoMediaHook implements MediaHook {
    @Override
    public CompletableFuture<byte[]> rewrite(String callId, String callerTag, SipMessage message, boolean fromCaller) {
        return CompletableFuture.completedFuture(message.body());
    }

    @Override
    public void release(String callId, String callerTag, String reason) {
    }

    @Override
    public void onMediaEnded(BiConsumer<String, String> listener) {
    }
}
