package io.peerlink.transport.internal;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.HandshakeWarmup;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.link.OutboundQueue;
import io.peerlink.transport.internal.link.PeerLink;
import io.peerlink.transport.internal.tls.TlsContexts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The network engine of one node: it listens, dials with backoff, authenticates every link, keeps exactly one
 * link per peer, exchanges validator endpoints, detects lost peers and reconnects, and publishes what happens.
 *
 * <pre>{@code
 * Network net = new Network(identity, trust, config, NetworkOptions.defaults(), TransportObserver.NOOP);
 * net.start().block();
 * net.events().subscribe(System.out::println);
 * net.send(peerId, "chat/1", "hello".getBytes()).subscribe();
 * net.stop().block();
 * }</pre>
 */
public final class Network {
    private static final Logger log = LoggerFactory.getLogger(Network.class);

    private final NodeIdentity identity;
    private final NodeConfig config;
    private final NetworkOptions options;
    private final TransportObserver observer;
    private final Admission admission;
    private final BanList bans;
    private final NetworkResources resources;
    private final boolean ownsResources;
    private final PeerEventBus bus;
    private final InboundQueue inbound;
    private final ConnectionTable<PeerLink> table;
    private final LinkRegistry registry;
    private final ChannelSetup setup;
    private final Dialer dialer;
    private final MeshMaintainer mesh;
    private final Explainer explainer;
    private final AutoCloseable trustSubscription;
    private final @Nullable TlsContexts tls;
    private final HandshakeSettings settings;
    private volatile @Nullable Channel server;
    private volatile @Nullable PeerAddress bound;
    private volatile @Nullable Disposable maintenance;
    private final LocalRecord local;

    private final Mono<Void> stopOnce = Mono.defer(this::doStop).cache();

    /** A network with its own threads, sized by {@code options}; {@link #stop()} releases them. */
    public Network(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            TransportObserver observer) {
        this(identity, trust, config, options, observer, NetworkResources.create(options), true);
    }

    /**
     * A network that runs on {@code shared} threads, which it never shuts down; the threading fields of
     * {@code options} are ignored in favour of those {@code shared} was created with. See {@link NetworkResources}.
     */
    public Network(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            TransportObserver observer,
            NetworkResources shared) {
        this(identity, trust, config, options, observer, Objects.requireNonNull(shared, "shared"), false);
    }

    private Network(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            TransportObserver observer,
            NetworkResources resources,
            boolean ownsResources) {
        this.resources = resources;
        this.ownsResources = ownsResources;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.config = Objects.requireNonNull(config, "config");
        this.options = Objects.requireNonNull(options, "options");
        this.observer = Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(trust, "trust");
        this.local = new LocalRecord(identity, config, () -> bound);
        Assembly parts = new Assembly(identity, trust, config, options, observer, resources, local, () -> bound);
        this.bans = parts.bans();
        this.admission = parts.admission();
        this.bus = parts.bus();
        this.inbound = parts.inbound();
        this.table = parts.table();
        this.registry = parts.registry();
        this.tls = parts.tls();
        this.settings = parts.settings();
        this.setup = parts.setup();
        this.dialer = parts.dialer();
        this.mesh = parts.mesh();
        this.explainer = parts.explainer();
        this.trustSubscription = trust.subscribe(change -> {
            admission.onTrustChange(change);
            registry.onTrustChange(change);
        });
    }

    public NodeId id() {
        return identity.id();
    }

    public Role role() {
        return config.role();
    }

    public NodeConfig config() {
        return config;
    }

    /** The address the listener is bound to (ephemeral port resolved), or null before start or without one. */
    public @Nullable PeerAddress boundAddress() {
        return bound;
    }

    /** Open peer sockets, authenticated or still in the handshake; duplicates show up here until closed. */
    public int openChannelCount() {
        return setup.channels().size();
    }

    /** The socket implementation in use ("epoll", "io_uring" or "nio"). */
    public String transportName() {
        return resources.transports().name();
    }

    /** The TLS implementation securing links ("boringssl" or "jdk"), or "none" for plaintext links. */
    public String tlsProvider() {
        return tls == null ? "none" : tls.provider();
    }

    /** Binds the listener (if configured), then dials the seeds. */
    public Mono<Network> start() {
        return Mono.defer(() -> {
            PeerAddress listen = config.listen();
            Mono<Void> bind = listen == null ? Mono.empty() : bind(listen);
            return Mono.fromRunnable(this::warmUp)
                    .then(bind)
                    .then(Mono.fromRunnable(() -> {
                        Duration tick = config.dial().redialInterval().compareTo(Duration.ofSeconds(1)) < 0
                                ? config.dial().redialInterval()
                                : Duration.ofSeconds(1);
                        maintenance = Flux.interval(Duration.ZERO, tick, resources.timers())
                                .onBackpressureDrop()
                                .subscribe(i -> mesh.tick(), e -> log.error("mesh maintenance stopped", e));
                        log.info(
                                "node {} ({}) started, listening on {} ({}, {}), {} seed(s)",
                                identity.id(),
                                config.role(),
                                bound == null ? "nothing" : bound,
                                resources.transports().name(),
                                tls == null
                                        ? "plaintext: authenticated at handshake only"
                                        : "tls 1.3 via " + tls.provider(),
                                config.seeds().size());
                    }))
                    .thenReturn(this);
        });
    }

    /** One handshake in memory: a fresh JVM's first link then does not load classes inside its deadline. */
    private void warmUp() {
        if (!HandshakeWarmup.run(local.get(), settings)) {
            log.warn("the in-memory warm-up handshake failed; links will fail too");
        }
    }

    private Mono<Void> bind(PeerAddress listen) {
        return setup.bind(resources.group(), resources.transports(), listen)
                .doOnNext(ch -> {
                    server = ch;
                    bound = PeerAddress.of((InetSocketAddress) ch.localAddress());
                })
                .then();
    }

    /**
     * Dials an address; concurrent dials of the same address share one attempt, and a peer already connected
     * returns its existing connection.
     */
    public Mono<Connection> dial(PeerAddress address) {
        return dialer.dial(address, null);
    }

    /** Events: the current peers as {@code Connected} first, then live events. Hot; any number of subscribers. */
    public Flux<PeerEvent> events() {
        return bus.events();
    }

    /** The authenticated peers right now, with their last round-trip time. */
    public List<PeerStatus> peers() {
        List<PeerStatus> out = new ArrayList<>();
        for (ConnectionTable.Link<PeerLink> link : table.links()) {
            Connection c = link.handle().connection();
            if (c != null) {
                long rtt = link.handle().rttNanos();
                out.add(new PeerStatus(c, rtt < 0 ? null : Duration.ofNanos(rtt)));
            }
        }
        return out;
    }

    /**
     * Bytes queued on the link to {@code peer} and not yet written to the socket (0 if not connected); stays near
     * the write buffer's high-water mark when the peer reads slowly.
     */
    public long pendingOutboundBytes(NodeId peer) {
        ConnectionTable.Link<PeerLink> link = table.get(peer);
        if (link == null) {
            return 0;
        }
        io.netty.channel.ChannelOutboundBuffer buffer =
                link.handle().channel().unsafe().outboundBuffer();
        OutboundQueue queue = link.handle().outbound();
        return (buffer == null ? 0 : buffer.totalPendingWriteBytes()) + (queue == null ? 0 : queue.queuedBytes());
    }

    /** Application messages from every peer. Reading from a peer pauses while this stream is behind. */
    public Flux<InboundMessage> receive() {
        return inbound.receive(null);
    }

    /**
     * Application messages of one protocol id, with a queue of their own: a subscriber that falls behind pauses
     * only the links that carry messages for it, never the traffic of other protocols on other links.
     */
    public Flux<InboundMessage> receive(String protocol) {
        return inbound.receive(Objects.requireNonNull(protocol, "protocol"));
    }

    /**
     * Sends one application message. Completes once the frame is queued on the link; if the link's write buffer
     * is full it waits for room or fails with {@code SLOW_PEER}, as {@link NetworkOptions#sendPolicy()} says.
     */
    public Mono<Void> send(NodeId to, String protocol, ByteString payload) {
        Envelope env = appEnvelope(protocol, payload);
        return Mono.defer(() -> outbound(to).send(env, options.sendPolicy()));
    }

    /**
     * Sends application messages to one peer, in order, as one batch: one hand-off to the link's event loop and
     * one socket write for all of them, which is what high message rates need. Completes once all are queued; waits
     * for room (or fails with {@code SLOW_PEER}) once for the whole batch, so a batch may take the link's queue past
     * its high-water mark by its own size.
     */
    public Mono<Void> sendAll(NodeId to, String protocol, List<ByteString> payloads) {
        List<Envelope> frames = new ArrayList<>(payloads.size());
        for (ByteString p : payloads) {
            frames.add(appEnvelope(protocol, p));
        }
        return Mono.defer(() -> outbound(to).sendAll(frames, options.sendPolicy()));
    }

    private static Envelope appEnvelope(String protocol, ByteString payload) {
        return Envelope.newBuilder()
                .setApp(AppMessage.newBuilder().setProtocol(protocol).setPayload(payload))
                .build();
    }

    private OutboundQueue outbound(NodeId to) {
        ConnectionTable.Link<PeerLink> link = table.get(to);
        if (link == null) {
            throw new PeerlinkException(DisconnectReason.NOT_CONNECTED, "no link to " + to);
        }
        OutboundQueue queue = link.handle().outbound();
        if (queue == null) {
            throw new PeerlinkException(DisconnectReason.NOT_CONNECTED, "link to " + to + " closing");
        }
        return queue;
    }

    /** Sends one application message to every connected validator. */
    public Mono<Void> sendToValidators(String protocol, ByteString payload) {
        return Flux.fromIterable(table.links())
                .filter(l -> {
                    Connection c = l.handle().connection();
                    return c != null && c.role().isValidator();
                })
                .flatMap(l -> send(l.peer(), protocol, payload))
                .then();
    }

    /** Closes the link to a peer with a reason. */
    public void disconnect(NodeId peer, DisconnectReason reason, String detail) {
        ConnectionTable.Link<PeerLink> link = table.get(peer);
        if (link != null) {
            link.handle().disconnect(reason, detail);
        }
    }

    /**
     * Refuses {@code peer} ({@code BANNED}) for {@code duration}, in handshakes either way and in dials, and closes
     * its link now if there is one.
     */
    public void ban(NodeId peer, Duration duration, String detail) {
        bans.ban(peer, duration);
        disconnect(peer, DisconnectReason.BANNED, detail);
    }

    /**
     * Why {@code peer} is or is not connected: trust, role, known addresses and their sources, state, last failure,
     * next dial. Empty if this node knows nothing of it. Reads thread-safe state only; never blocks.
     */
    public java.util.Optional<io.peerlink.core.PeerExplanation> explain(NodeId peer) {
        return explainer.explain(Objects.requireNonNull(peer, "peer"));
    }

    /**
     * Clears the dial backoff (and cooldown) of every known address of {@code peer} and dials it now if this node
     * dials it; returns how many addresses were waiting.
     */
    public int clearBackoff(NodeId peer) {
        return explainer.clearBackoff(Objects.requireNonNull(peer, "peer"));
    }

    /** Lifts a ban (also one from the config's list, until the next start); true if {@code peer} was banned. */
    public boolean unban(NodeId peer) {
        return bans.unban(peer);
    }

    /**
     * Closes the listener and every link at once without telling peers, as a crash would, then releases threads.
     * For fault tests; use {@link #stop()} otherwise.
     */
    public Mono<Void> abort() {
        return Mono.defer(() -> {
            Disposable m = maintenance;
            if (m != null) {
                m.dispose();
            }
            dialer.close();
            Channel s = server;
            if (s != null) {
                s.close();
            }
            setup.channels().close();
            return stop();
        });
    }

    /** The threads this network runs on (its own or shared); package-private for tests. */
    NetworkResources resources() {
        return resources;
    }

    /** The channel of the link to a peer; package-private for fault-injection tests. */
    io.netty.channel.@Nullable Channel channelTo(NodeId peer) {
        PeerLink link = linkTo(peer);
        return link == null ? null : link.channel();
    }

    /** The link to a peer; package-private for fault-injection tests. */
    @Nullable
    PeerLink linkTo(NodeId peer) {
        ConnectionTable.Link<PeerLink> link = table.get(peer);
        return link == null ? null : link.handle();
    }

    /**
     * Tells every peer {@code shutdown}, closes links and the listener, and releases threads. Bounded by the
     * configured shutdown grace.
     */
    public Mono<Void> stop() {
        return stopOnce;
    }

    private Mono<Void> doStop() {
        return Mono.defer(() -> {
            Disposable m = maintenance;
            if (m != null) {
                m.dispose();
            }
            dialer.close();
            try {
                trustSubscription.close();
            } catch (Exception e) {
                log.debug("trust subscription close failed", e);
            }
            List<Mono<Void>> closes = new ArrayList<>();
            Channel s = server;
            if (s != null) {
                closes.add(ChannelSetup.toMono(s.close()));
            }
            registry.closeAll(DisconnectReason.SHUTDOWN, "node is shutting down", closes);
            Duration grace = config.timeouts().shutdownGrace();
            return Mono.when(closes)
                    .timeout(grace, Mono.empty())
                    // links still in the handshake, and any link that outlived the grace: shared event loops
                    // keep running after this network stops, so its channels must not
                    .then(Mono.defer(() -> ChannelSetup.toMono(setup.channels().close())))
                    .then(Mono.fromRunnable(() -> {
                        bus.complete();
                        inbound.complete();
                    }))
                    .then(ownsResources ? resources.close(grace) : Mono.empty())
                    .timeout(grace.plusSeconds(1), Mono.empty())
                    .doFinally(x -> log.info("node {} stopped", identity.id()));
        });
    }
}
