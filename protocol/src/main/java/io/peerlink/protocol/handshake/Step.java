package io.peerlink.protocol.handshake;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.proto.v1.Envelope;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the caller of {@link Handshake} must do next. Java 17 has no pattern switch, so dispatch with
 * {@code instanceof}.
 *
 * <pre>{@code
 * Step step = machine.onMessage(envelope);
 * if (step instanceof Step.Send s) s.messages().forEach(channel::write);
 * }</pre>
 */
public sealed interface Step {

    /** Send these messages (possibly none) and keep waiting. */
    record Send(List<Envelope> messages) implements Step {
        public static final Send NOTHING = new Send(List.of());

        public Send {
            messages = List.copyOf(messages);
        }
    }

    /** Send these messages, then the peer is authenticated. */
    record Accept(PeerInfo peer, List<Envelope> messages) implements Step {
        public Accept {
            Objects.requireNonNull(peer, "peer");
            messages = List.copyOf(messages);
        }
    }

    /**
     * The handshake failed. If {@code byPeer}, the peer sent this reason and expects nothing back; otherwise send
     * {@link #notice()} and close.
     *
     * @param peer the id the peer claimed, if it got that far (not proven)
     */
    record Reject(
            DisconnectReason reason,
            String detail,
            boolean byPeer,
            @Nullable NodeId peer) implements Step {
        public Reject {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** The {@code Disconnect} frame to send before closing. */
        public Envelope notice() {
            return io.peerlink.protocol.wire.Wire.disconnect(reason, detail);
        }
    }
}
