package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.protocol.pex.PeerExchange;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the {@link ConnectionManager} asks the shell to do, in order. */
public sealed interface ManagerAction {

    /** Open a TCP connection (one attempt); report {@code Connected} or {@code ConnectFailed} with this dial id. */
    record Dial(long dialId, PeerAddress address, @Nullable NodeId expected) implements ManagerAction {
        public Dial {
            requireNonNull(address, "address");
        }
    }

    /** Send a {@code Disconnect} with the reason, then close the link. */
    record Close(long linkId, DisconnectReason reason, String detail) implements ManagerAction {
        public Close {
            requireNonNull(reason, "reason");
            requireNonNull(detail, "detail");
        }
    }

    /** Send a peer-exchange request on the link. */
    record SendPexRequest(long linkId) implements ManagerAction {}

    /**
     * Answer a peer-exchange request (or, if {@code announcement}, announce a newcomer unasked): the shell builds the
     * message with {@link PeerExchange#answer}, which keeps authenticated validators' records, never the requester.
     */
    record SendPexAnswer(long linkId, NodeId to, List<PeerExchange.Known> known, boolean announcement)
            implements ManagerAction {
        public SendPexAnswer {
            requireNonNull(to, "to");
            known = List.copyOf(known);
        }
    }

    /** Hand {@code timer} back in a {@code TimerFired} at {@code atNanos} (same clock as the events' time). */
    record Schedule(long atNanos, Timer timer) implements ManagerAction {
        public Schedule {
            requireNonNull(timer, "timer");
        }
    }

    /** Publish a peer event to the node's subscribers. */
    record Publish(PeerEvent event) implements ManagerAction {
        public Publish {
            requireNonNull(event, "event");
        }
    }
}
