package io.peerlink.core;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Why a peer is or is not connected, as a node sees it right now: what the trust registry says of it, where it can
 * be reached and how this node learned each address, what this node is doing about it, and the last thing that went
 * wrong. A snapshot read from the node's thread-safe state; never blocks.
 *
 * <pre>{@code
 * node.explain(peer).ifPresent(e -> System.out.println(e.state().text() + ": " + e.why()));
 * }</pre>
 *
 * @param id the peer
 * @param trusted whether the trust registry lists it
 * @param role its role in the trust registry, or (untrusted) the role of its link, or null
 * @param state what this node is doing about it
 * @param why a sentence that explains {@code state}
 * @param addresses every address known for it, best first, each with where it came from
 * @param connection its link, when {@code state} is {@link State#CONNECTED}
 * @param lastError the last failure that concerned it (a dial that gave up, a refused handshake, a lost link), or null
 * @param lastErrorAt when {@code lastError} happened
 * @param nextAttemptAt when this node dials it next, if it waits to (backoff or cooldown), or null
 */
public record PeerExplanation(
        NodeId id,
        boolean trusted,
        @Nullable Role role,
        State state,
        String why,
        List<KnownAddress> addresses,
        @Nullable Connection connection,
        @Nullable String lastError,
        @Nullable Instant lastErrorAt,
        @Nullable Instant nextAttemptAt) {

    public PeerExplanation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(why, "why");
        addresses = List.copyOf(addresses);
    }

    /** What a node is doing about a peer. */
    public enum State {
        /** An authenticated link exists. */
        CONNECTED,
        /** A dial is under way (connecting, in the handshake, or waiting between the attempts of one dial). */
        DIALING,
        /** A dial gave up; the address waits (doubling with every failure) before the next one. */
        BACKOFF,
        /**
         * The address is left alone for a long while (it answered with something other than peerlink), or held back
         * once because the peer is expected to dial this node.
         */
        COOLDOWN,
        /** Refused in handshakes and never dialed while the ban lasts. */
        BANNED,
        /** This node does not dial it; {@code why} says why. */
        NOT_DIALING;

        /** Lower-case text with {@code -}, as in the admin output: {@code not-dialing}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Where an address came from. */
    public enum Source {
        /** A configured seed address at which this peer answered. */
        SEED,
        /** A signed address record relayed by peer exchange. */
        PEER_EXCHANGE,
        /** Stated by the peer itself in the handshake of a link it opened to this node. */
        INBOUND,
        /** Stated by the peer itself in the handshake of a link this node dialed. */
        HANDSHAKE;

        /** Lower-case text with {@code -}: {@code peer-exchange}. */
        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One known address of a peer.
     *
     * @param sources where this node learned it (at least one)
     */
    public record KnownAddress(PeerAddress address, Set<Source> sources) {
        public KnownAddress {
            Objects.requireNonNull(address, "address");
            sources = Set.copyOf(sources);
        }
    }
}
