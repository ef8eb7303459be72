package io.peerlink.transport.internal.handshake;

import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.handshake.Step;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a channel's handshake ended: the value of {@link HandshakeHandler#handshakeFuture()}, then fired down the
 * pipeline as a user event (as Netty's {@code SslHandler} fires {@code SslHandshakeCompletionEvent}). On success any
 * message that arrived right behind the handshake follows the event. On failure the channel is closing.
 *
 * <pre>{@code
 * if (evt instanceof HandshakeCompletionEvent done && done.isSuccess()) {
 *     register(done.peer());
 * }
 * }</pre>
 *
 * @param peer the authenticated peer, or null on failure
 * @param reject why it failed, or null on success
 * @param elapsedNanos time from channel activation to the outcome
 */
public record HandshakeCompletionEvent(@Nullable PeerInfo peer, Step.@Nullable Reject reject, long elapsedNanos) {
    public HandshakeCompletionEvent {
        if ((peer == null) == (reject == null)) {
            throw new IllegalArgumentException("exactly one of peer and reject (expected: one non-null)");
        }
    }

    static HandshakeCompletionEvent success(PeerInfo peer, long elapsedNanos) {
        return new HandshakeCompletionEvent(Objects.requireNonNull(peer, "peer"), null, elapsedNanos);
    }

    static HandshakeCompletionEvent failure(Step.Reject reject, long elapsedNanos) {
        return new HandshakeCompletionEvent(null, Objects.requireNonNull(reject, "reject"), elapsedNanos);
    }

    public boolean isSuccess() {
        return peer != null;
    }
}
