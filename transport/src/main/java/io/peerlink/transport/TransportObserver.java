package io.peerlink.transport;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;

/**
 * Hooks through which the transport reports what it does, so the node can count it (Micrometer) without the
 * transport knowing any metrics library. Called on event loops: implementations must be cheap and never block.
 *
 * <pre>{@code
 * TransportObserver observer = new TransportObserver() {
 *     public void handshakeFailed(Direction d, DisconnectReason r, boolean byPeer) { failures.increment(); }
 * };
 * }</pre>
 */
public interface TransportObserver {
    TransportObserver NOOP = new TransportObserver() {};

    /** A handshake completed; {@code nanos} from accept/connect to authenticated. */
    default void handshakeSucceeded(Direction direction, long nanos) {}

    /** A handshake failed; {@code byPeer} if the peer refused us. */
    default void handshakeFailed(Direction direction, DisconnectReason reason, boolean byPeer) {}

    /** A link was closed as a duplicate of another link to the same peer. */
    default void duplicateClosed() {}

    /**
     * A link from a newer boot incarnation of a linked peer took over from {@code previous}: the peer restarted.
     * {@link #duplicateClosed} is not called for the replaced link.
     */
    default void peerRestarted(Connection previous, Connection current) {}

    /** An authenticated link was lost (socket closed or heartbeats missed). */
    default void peerLost(Connection connection, DisconnectReason reason) {}

    /**
     * How long an authenticated link was silent before it was found lost: from its latest pong to the loss
     * ({@code silentNanos}). Called right after {@link #peerLost}, only for links that had answered a ping.
     */
    default void lossDetected(Connection connection, DisconnectReason reason, long silentNanos) {}

    /** Bytes read from / written to sockets. */
    default void bytesRead(long bytes) {}

    default void bytesWritten(long bytes) {}

    /** Frames decoded / encoded, by message kind (the envelope body case, lower case). */
    default void messageRead(String kind) {}

    default void messageWritten(String kind) {}

    /** {@code count} frames of one kind encoded together (application messages are written in batches). */
    default void messagesWritten(String kind, int count) {
        for (int i = 0; i < count; i++) {
            messageWritten(kind);
        }
    }

    /** A dial attempt (each retry counts) and a dial that gave up. */
    default void dialAttempt(PeerAddress address) {}

    default void dialFailed(PeerAddress address, DisconnectReason reason) {}

    /** A limit refused a connection; {@code limit} names it, e.g. {@code max_inbound}. */
    default void limitReached(String limit) {}

    /**
     * A dial of a learned address that never held a link was refused by the new-address budget; {@code scope} is
     * {@code node} (the target's budget) or {@code global}.
     */
    default void newAddressDialRefused(String scope) {}

    /** A learned address answered with something other than peerlink and is left alone for the long cooldown. */
    default void addressCooledDown(PeerAddress address, DisconnectReason reason) {}

    /** A relayed address record was dropped; {@code problem} is {@code malformed}, {@code key_mismatch} or
     * {@code bad_signature}. */
    default void addressRecordRejected(String problem) {}

    /** A peer went over a peer-exchange limit: it was disconnected with {@code PEX_ABUSE} and banned for a while. */
    default void pexAbuse(Connection peer, String detail) {}
}
