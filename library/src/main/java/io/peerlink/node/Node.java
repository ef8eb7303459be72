package io.peerlink.node;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.Network;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A peerlink node for embedding: nothing happens until {@link #start()}; everything is non-blocking.
 *
 * <pre>{@code
 * Node node = Node.builder()
 *         .identity(KeyFiles.load(Path.of("node.key")))
 *         .trust(FileTrustRegistry.load(Path.of("trust.txt")))
 *         .config(NodeConfig.builder().role(Role.VALIDATOR).listen(PeerAddress.parse("127.0.0.1:7000")).build())
 *         .build();
 * node.start().block();
 * node.events().subscribe(e -> log.info("{}", e));
 * node.receive().subscribe(m -> handle(m.from(), m.payload()));
 * node.send(peer, "blocks/1", ByteString.copyFromUtf8("hello")).block();
 * node.stop().block();
 * }</pre>
 */
public final class Node {
    private final Network network;
    private final TrustRegistry trust;

    Node(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            TransportObserver observer,
            @Nullable NetworkResources shared) {
        this.trust = trust;
        this.network = shared == null
                ? new Network(identity, trust, config, options, observer)
                : new Network(identity, trust, config, options, observer, shared);
    }

    public static NodeBuilder builder() {
        return new NodeBuilder();
    }

    /** Binds the listener and starts dialing the seeds. */
    public Mono<Node> start() {
        return network.start().thenReturn(this);
    }

    /** Says goodbye ({@code shutdown}) to every peer, closes links and the listener; bounded by the shutdown grace. */
    public Mono<Void> stop() {
        return network.stop();
    }

    /** Dials an address; concurrent calls share one attempt. */
    public Mono<Connection> connect(PeerAddress address) {
        return network.dial(address);
    }

    /**
     * Closes the link to a connected peer, telling it {@code operator} with {@code detail}, and completes once the
     * link has ended (its {@code Disconnected} event was published). Errors with {@code NOT_CONNECTED} if there is
     * no link to {@code peer}. The peer is not banned: a validator is redialed by the mesh as usual (revoke it in
     * the trust registry to keep it out).
     */
    public Mono<Void> disconnect(NodeId peer, String detail) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(detail, "detail");
        return Mono.defer(() -> {
            if (!isConnected(peer)) {
                return Mono.error(new PeerlinkException(DisconnectReason.NOT_CONNECTED, "no link to " + peer));
            }
            // subscribed (and so registered for events) before the disconnect is asked for
            return network.events()
                    .filter(e -> ends(e, peer))
                    .next()
                    .doOnSubscribe(s -> network.disconnect(peer, DisconnectReason.OPERATOR, detail))
                    // the link ended on its own between the check and the subscription: nothing left to close
                    .timeout(
                            network.config().timeouts().shutdownGrace(),
                            Mono.defer(() -> isConnected(peer)
                                    ? Mono.error(new PeerlinkException(
                                            DisconnectReason.INTERNAL_ERROR,
                                            "the link to " + peer + " did not close within the shutdown grace"))
                                    : Mono.empty()))
                    .then();
        });
    }

    /**
     * Refuses {@code peer} for {@code duration} ({@code BANNED} in handshakes either way, and no dials to it) and
     * closes its link now if there is one, telling it {@code banned} with {@code detail}. A config's
     * {@link NodeConfig#banned()} list is banned for as long as the node runs.
     */
    public Mono<Void> ban(NodeId peer, Duration duration, String detail) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(detail, "detail");
        return Mono.fromRunnable(() -> network.ban(peer, duration, detail));
    }

    /**
     * Why {@code peer} is or is not connected, also when it is not: trusted or not and its role, its known addresses
     * and where each came from, what this node is doing about it ({@code connected}, {@code dialing},
     * {@code backoff}, {@code cooldown}, {@code banned}, {@code not-dialing} with why), the last failure and when,
     * and the next dial. Empty if this node knows nothing of {@code peer}. Reads the node's thread-safe state; never
     * blocks, so any thread (an event loop included) may call it.
     */
    public Optional<PeerExplanation> explain(NodeId peer) {
        return network.explain(Objects.requireNonNull(peer, "peer"));
    }

    /**
     * Clears the dial backoff and cooldown of every known address of {@code peer}, so that the next dial happens now
     * (it is started at once if this node dials that peer). Emits how many addresses were waiting (0: none was).
     */
    public Mono<Integer> clearBackoff(NodeId peer) {
        Objects.requireNonNull(peer, "peer");
        return Mono.fromCallable(() -> network.clearBackoff(peer));
    }

    /** Lifts a ban; true if {@code peer} was banned. */
    public boolean unban(NodeId peer) {
        return network.unban(Objects.requireNonNull(peer, "peer"));
    }

    private boolean isConnected(NodeId peer) {
        for (PeerStatus p : network.peers()) {
            if (p.connection().peer().equals(peer)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ends(PeerEvent e, NodeId peer) {
        return (e instanceof PeerEvent.Disconnected d && d.connection().peer().equals(peer))
                || (e instanceof PeerEvent.Lost l && l.connection().peer().equals(peer))
                // the link was taken over by a restarted peer's new link: the one being closed is gone
                || (e instanceof PeerEvent.Restarted r && r.previous().peer().equals(peer));
    }

    /** Peer events: the current peers as {@code Connected} first, then live events. */
    public Flux<PeerEvent> events() {
        return network.events();
    }

    /** Authenticated peers right now, with their heartbeat round-trip times. */
    public List<PeerStatus> peers() {
        return network.peers();
    }

    /** Application messages from all peers; reading pauses while this stream is behind. */
    public Flux<InboundMessage> receive() {
        return network.receive();
    }

    /**
     * Application messages of one protocol id, queued apart from other protocols': a slow subscriber here pauses
     * only the links that carry messages for it.
     */
    public Flux<InboundMessage> receive(String protocol) {
        Objects.requireNonNull(protocol, "protocol");
        return network.receive(protocol);
    }

    /** Sends bytes to one peer under a protocol id; waits for room when the peer's buffer is full. */
    public Mono<Void> send(NodeId to, String protocol, ByteString payload) {
        return network.send(to, protocol, payload);
    }

    /** Sends a protobuf message (its serialized bytes) to one peer. */
    public Mono<Void> send(NodeId to, String protocol, MessageLite message) {
        return send(to, protocol, message.toByteString());
    }

    /**
     * Sends several payloads to one peer, in order, as one batch: one hand-off to the link's event loop and one
     * socket write for all of them (the way to high message rates). Waits for room once for the whole batch.
     */
    public Mono<Void> sendAll(NodeId to, String protocol, List<ByteString> payloads) {
        return network.sendAll(to, protocol, payloads);
    }

    /** Sends a stream of payloads to one peer, one at a time, each waiting for room on the link. */
    public Mono<Void> send(NodeId to, String protocol, Publisher<ByteString> payloads) {
        return Flux.from(payloads).concatMap(p -> send(to, protocol, p), 1).then();
    }

    /** Sends bytes to every connected validator. */
    public Mono<Void> sendToValidators(String protocol, ByteString payload) {
        return network.sendToValidators(protocol, payload);
    }

    /** Bytes queued toward {@code peer} and not yet written to its socket. */
    public long pendingOutboundBytes(NodeId peer) {
        return network.pendingOutboundBytes(peer);
    }

    public NodeId id() {
        return network.id();
    }

    public Role role() {
        return network.role();
    }

    public NodeConfig config() {
        return network.config();
    }

    public TrustRegistry trust() {
        return trust;
    }

    /** Whether the node was given seed addresses. */
    public boolean hasSeeds() {
        return !network.config().seeds().isEmpty();
    }

    /** The bound listen address (ephemeral port resolved), or null before start or for a dial-only node. */
    public @Nullable PeerAddress listenAddress() {
        return network.boundAddress();
    }

    /** The TLS implementation securing links ("boringssl" or "jdk"), or "none" for plaintext links. */
    public String tlsProvider() {
        return network.tlsProvider();
    }

    /** The socket implementation in use ("epoll", "io_uring" or "nio"). */
    public String transportName() {
        return network.transportName();
    }
}
