package io.peerlink.node.admin;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.node.Node;
import java.time.Duration;
import java.util.Objects;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * What the admin endpoint may do to a node when {@code admin-actions} is on; implemented over a {@link Node} by
 * {@link #of(Node)}, or by a test double. Each method is lazy and never blocks the calling event loop.
 *
 * <pre>{@code
 * AdminServer.start(bind, AdminSource.of(node), registry, token, AdminLimits.defaults(), AdminActions.of(node));
 * }</pre>
 */
public interface AdminActions {
    /**
     * Closes the link to a peer ({@code operator}); completes once it has ended.
     *
     * @return errors with a {@link io.peerlink.core.PeerlinkException} {@code NOT_CONNECTED} if there is no link
     */
    Mono<Void> disconnect(NodeId peer, String detail);

    /** Bans a peer for {@code duration} ({@code banned}) and closes its link if there is one. */
    Mono<Void> ban(NodeId peer, Duration duration, String detail);

    /** Lifts a ban; true if the peer was banned. */
    Mono<Boolean> unban(NodeId peer);

    /**
     * Clears the dial backoff (and cooldown) of every known address of a peer so that the next dial happens now;
     * emits how many addresses were waiting.
     */
    Mono<Integer> clearBackoff(NodeId peer);

    /** Dials an address now, with the node's usual retries; the peer once authenticated. */
    Mono<Connection> dial(PeerAddress address);

    /**
     * Reads the trust file now, with every safety check but the settle time.
     *
     * @return errors with {@link UnsupportedOperationException} if the node's trust registry is not a file
     */
    Mono<FileTrustRegistry.Reload> reloadTrust();

    /** Actions on a node; the trust file is read on a blocking-capable scheduler. */
    static AdminActions of(Node node) {
        Objects.requireNonNull(node, "node");
        return new AdminActions() {
            @Override
            public Mono<Void> disconnect(NodeId peer, String detail) {
                return node.disconnect(peer, detail);
            }

            @Override
            public Mono<Void> ban(NodeId peer, Duration duration, String detail) {
                return node.ban(peer, duration, detail);
            }

            @Override
            public Mono<Boolean> unban(NodeId peer) {
                return Mono.fromCallable(() -> node.unban(peer));
            }

            @Override
            public Mono<Integer> clearBackoff(NodeId peer) {
                return node.clearBackoff(peer);
            }

            @Override
            public Mono<Connection> dial(PeerAddress address) {
                return node.connect(address);
            }

            @Override
            public Mono<FileTrustRegistry.Reload> reloadTrust() {
                return Mono.defer(() -> {
                    if (!(node.trust() instanceof FileTrustRegistry file)) {
                        return Mono.error(
                                new UnsupportedOperationException("this node's trust registry is not a trust file"));
                    }
                    return Mono.fromCallable(file::reloadNow).subscribeOn(Schedulers.boundedElastic());
                });
            }
        };
    }
}
