package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.trust.TrustChange;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.pex.AddressRecords;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the shell tells the {@link ConnectionManager}. Link ids are the shell's (a channel id in Netty, a socket
 * number in the simulator); dial ids are the manager's, from {@link ManagerAction.Dial}.
 */
public sealed interface ManagerEvent {

    /** The node starts: dial the seeds and schedule upkeep. */
    record Start() implements ManagerEvent {}

    /** The application (or an operator) asks for a link to {@code address}, expecting {@code expected} there. */
    record DialRequested(PeerAddress address, @Nullable NodeId expected) implements ManagerEvent {
        public DialRequested {
            requireNonNull(address, "address");
        }
    }

    /**
     * A TCP connection exists: one this node dialed ({@code dialId} from the {@link ManagerAction.Dial}, direction
     * {@code OUTBOUND}) or one it accepted ({@code dialId} {@link #NO_DIAL}, direction {@code INBOUND}). The shell
     * starts the handshake on it.
     */
    record Connected(long linkId, long dialId, Direction direction, PeerAddress remote) implements ManagerEvent {
        public static final long NO_DIAL = -1;

        public Connected {
            requireNonNull(direction, "direction");
            requireNonNull(remote, "remote");
        }
    }

    /** The TCP connect of an attempt failed (refused, unreachable, timed out). */
    record ConnectFailed(long dialId, String detail) implements ManagerEvent {
        public ConnectFailed {
            requireNonNull(detail, "detail");
        }
    }

    /** The handshake on {@code linkId} authenticated the peer. */
    record HandshakeAccepted(long linkId, PeerInfo peer) implements ManagerEvent {
        public HandshakeAccepted {
            requireNonNull(peer, "peer");
        }
    }

    /** The handshake on {@code linkId} failed; the shell closes the link (a later {@link LinkLost} is ignored). */
    record HandshakeRejected(
            long linkId,
            DisconnectReason reason,
            String detail,
            boolean byPeer,
            @Nullable NodeId claimed) implements ManagerEvent {
        public HandshakeRejected {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }

    /**
     * The link closed, at whatever stage: a {@code Disconnect} from the peer ({@code byPeer}, with its reason), a
     * socket closed without one ({@code CONNECTION_CLOSED}), or heartbeats missed ({@code HEARTBEAT_TIMEOUT}).
     */
    record LinkLost(long linkId, DisconnectReason reason, String detail, boolean byPeer) implements ManagerEvent {
        public LinkLost {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }

    /** The trust registry changed (a node added, revoked or given another role). */
    record TrustChanged(TrustChange change) implements ManagerEvent {
        public TrustChanged {
            requireNonNull(change, "change");
        }
    }

    /** The peer on {@code linkId} asks for validator endpoints. */
    record PexRequested(long linkId) implements ManagerEvent {}

    /**
     * The peer on {@code linkId} answered (or announced a newcomer); the shell has checked the records' signatures
     * ({@link AddressRecords#verify}) and passes the ones that verified.
     *
     * @param count records in the answer as received
     * @param bytes its serialized size
     */
    record PexAnswered(long linkId, List<AddressRecords.Verified> records, int count, int bytes, boolean announcement)
            implements ManagerEvent {
        public PexAnswered {
            records = List.copyOf(records);
        }
    }

    /** A timer the manager scheduled is due. */
    record TimerFired(Timer timer) implements ManagerEvent {
        public TimerFired {
            requireNonNull(timer, "timer");
        }
    }
}
