package io.peerlink.transport.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.dial.DialRetry;
import io.peerlink.protocol.dial.DialTargets;
import io.peerlink.protocol.dial.InFlight;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.codec.EnvelopeSizeEstimator;
import io.peerlink.transport.internal.link.PeerLink;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Dials addresses: TCP connect, handshake, registration, with exponential backoff and jitter between attempts.
 * Concurrent dials of one address share one attempt; a dial of a node id already connected returns the existing
 * connection; own address and own id are never dialed. When the last attempt fails, the dial fails with a clear
 * error, a {@code DialFailed} event is published and the address cools down before it is tried again.
 */
public final class Dialer {
    private static final Logger log = LoggerFactory.getLogger(Dialer.class);

    private final Bootstrap bootstrap;
    private final ChannelSetup setup;
    private final NodeConfig config;
    private final ConnectionTable<PeerLink> table;
    private final AddressBook book;
    private final PeerEventBus bus;
    private final TransportObserver observer;
    private final Supplier<@Nullable PeerAddress> bound;
    private final NodeId self;
    private final DialRetry retry;
    private final InFlight<PeerAddress, Connection> inFlight = new InFlight<>();
    /** Addresses whose dial is waiting out a backoff between two attempts. */
    private final java.util.Set<PeerAddress> backingOff = ConcurrentHashMap.newKeySet();

    private final Map<NodeId, PeerAddress> inFlightIds = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private final PeerErrors errors;
    private final java.util.function.Function<NodeId, @Nullable Role> roles;
    private final DialTargets.Links links = new DialTargets.Links() {
        @Override
        public boolean connected(NodeId id) {
            return table.contains(id);
        }

        @Override
        public boolean connected(PeerAddress address) {
            return connectionAt(address) != null;
        }

        @Override
        public boolean dialing(NodeId id) {
            return inFlightIds.containsKey(id);
        }

        @Override
        public boolean dialing(PeerAddress address) {
            return inFlight.contains(address);
        }
    };

    public Dialer(
            EventLoopGroup group,
            Transports transports,
            ChannelSetup setup,
            NodeConfig config,
            ConnectionTable<PeerLink> table,
            AddressBook book,
            PeerEventBus bus,
            TransportObserver observer,
            Scheduler timers,
            Supplier<@Nullable PeerAddress> bound,
            NodeId self,
            java.util.function.Function<NodeId, @Nullable Role> roles,
            PeerErrors errors) {
        this.errors = errors;
        this.roles = roles;
        this.setup = setup;
        this.config = config;
        this.table = table;
        this.book = book;
        this.bus = bus;
        this.observer = observer;
        this.bound = bound;
        this.self = self;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transports.socketChannel())
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EnvelopeSizeEstimator.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.timeouts().connect().toMillis())
                .option(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(Defaults.WRITE_LOW_WATER_BYTES, Defaults.WRITE_HIGH_WATER_BYTES));
        this.retry = DialRetry.of(config.dial(), timers);
    }

    /**
     * Whether a dial to {@code address} has an attempt under way: dialing, not waiting out a backoff between two
     * attempts (a peer that refused the last one is down, for now).
     */
    public boolean attempting(PeerAddress address) {
        return inFlight.contains(address) && !backingOff.contains(address);
    }

    /** Whether a dial to this address or id is under way. */
    public boolean dialing(PeerAddress address, @Nullable NodeId id) {
        return inFlight.contains(address) || (id != null && inFlightIds.containsKey(id));
    }

    /** Whether a dial expecting {@code id} is under way, at any address. */
    public boolean dialing(NodeId id) {
        return inFlightIds.containsKey(id);
    }

    /**
     * Dials {@code address}; {@code expected} is the node id that should answer there, if known. Joins a dial
     * already under way to the same address or id, and returns the existing connection of a connected id.
     */
    public Mono<Connection> dial(PeerAddress address, @Nullable NodeId expected) {
        return dial(address, expected, false);
    }

    /**
     * Dials a learned address that never held a link to {@code expected}: one attempt, no retries, so that an
     * address taken from peer exchange costs the host behind it one connection per budgeted dial at most.
     */
    public Mono<Connection> dialOnce(PeerAddress address, NodeId expected) {
        return dial(address, expected, true);
    }

    /**
     * One attempt to dial {@code expected} at {@code address} now, outside the shared attempts: even though a link to
     * it is registered (it predates the peer's newest signed address record, so the peer restarted or moved and the
     * link may be half-dead; the new link carries the peer's current boot incarnation and, if newer, takes over), and
     * even though a dial of it waits in its backoff (begun while the peer was down; its next attempt finds the link).
     * A failure only ends this attempt: no retry, no cooldown, no {@code DialFailed}.
     */
    public Mono<Connection> dialNow(PeerAddress address, NodeId expected) {
        return Mono.defer(() -> closed
                        ? Mono.<Connection>error(new PeerlinkException(DisconnectReason.SHUTDOWN, "node is stopping"))
                        : attempt(address, expected))
                .onErrorResume(e -> {
                    Connection existing = isDuplicate(e) ? connectionOf(expected) : null;
                    return existing != null ? Mono.just(existing) : Mono.error(e);
                });
    }

    private Mono<Connection> dial(PeerAddress address, @Nullable NodeId expected, boolean once) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new PeerlinkException(DisconnectReason.SHUTDOWN, "node is stopping"));
            }
            PeerAddress own = config.advertise() != null ? config.advertise() : bound.get();
            Role role = expected == null ? null : roles.apply(expected);
            DialTargets.Verdict verdict =
                    new DialTargets(self, config.role(), own).decide(address, expected, role, links);
            switch (verdict) {
                case SELF, OWN_ADDRESS:
                    return Mono.error(new PeerlinkException(
                            DisconnectReason.SELF_CONNECTION, "refusing to dial this node itself at " + address));
                case ROLE_NOT_ALLOWED:
                    return Mono.error(new PeerlinkException(
                            DisconnectReason.ROLE_NOT_ALLOWED, "a " + config.role() + " does not dial a " + role));
                case CONNECTED:
                    // a dial by address alone is answered by the link already made to that address
                    Connection existing = expected != null ? connectionOf(expected) : connectionAt(address);
                    if (existing != null) {
                        return Mono.just(existing);
                    }
                    break;
                case IN_FLIGHT:
                    PeerAddress sameId = expected == null ? null : inFlightIds.get(expected);
                    if (sameId != null && !sameId.equals(address)) {
                        return inFlight.get(
                                sameId,
                                a -> Mono.error(new PeerlinkException(
                                        DisconnectReason.CONNECTION_CLOSED, "dial to " + a + " just ended")));
                    }
                    break;
                default:
                    break;
            }
            return inFlight.get(address, a -> {
                if (expected != null) {
                    inFlightIds.put(expected, a);
                }
                return attempts(a, expected, once).doFinally(s -> {
                    if (expected != null) {
                        inFlightIds.remove(expected, a);
                    }
                });
            });
        });
    }

    /** The link whose peer listens at, or was dialed at, {@code address}, if any. */
    private @Nullable Connection connectionAt(PeerAddress address) {
        for (ConnectionTable.Link<PeerLink> link : table.links()) {
            Connection c = link.handle().connection();
            if (c != null
                    && (address.equals(c.listenAddress())
                            || (c.direction() == Direction.OUTBOUND && address.equals(c.remoteAddress())))) {
                return c;
            }
        }
        return null;
    }

    private @Nullable Connection connectionOf(NodeId id) {
        ConnectionTable.Link<PeerLink> link = table.get(id);
        return link == null ? null : link.handle().connection();
    }

    private Mono<Connection> attempts(PeerAddress address, @Nullable NodeId expected, boolean once) {
        Mono<Connection> first = Mono.defer(() -> {
            // a retry whose peer linked meanwhile (it dialed us, or dialNow did) needs no new socket
            Connection linked = expected != null ? connectionOf(expected) : null;
            return linked != null ? Mono.just(linked) : attempt(address, expected);
        });
        return (once
                        ? first
                        : first.retryWhen(retry.spec(address)
                                        .doBeforeRetry(s -> backingOff.add(address))
                                        .doAfterRetry(s -> backingOff.remove(address)))
                                .doFinally(s -> backingOff.remove(address)))
                .onErrorResume(e -> {
                    // the peer kept another link to us (a simultaneous open): if it is already ours, that is the answer
                    Connection existing = isDuplicate(e) && expected != null ? connectionOf(expected) : null;
                    return existing != null ? Mono.just(existing) : Mono.error(e);
                })
                .doOnError(e -> giveUp(address, expected, e));
    }

    private static boolean isDuplicate(Throwable e) {
        return Exceptions.unwrap(e) instanceof PeerlinkException p && p.reason() == DisconnectReason.DUPLICATE;
    }

    /**
     * The dial failed for good: publish it and let the address cool down. A tie-break loss ({@code DUPLICATE}) is
     * not a failure to reach the peer (a link between the two nodes exists or is finishing), so the address does not
     * cool down and no {@code DialFailed} is published for it.
     */
    private void giveUp(PeerAddress address, @Nullable NodeId expected, Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        DisconnectReason reason =
                cause instanceof PeerlinkException p ? p.reason() : DisconnectReason.CONNECTION_CLOSED;
        if (reason == DisconnectReason.SHUTDOWN) {
            return;
        }
        if (reason == DisconnectReason.DUPLICATE) {
            log.debug("dial {} ended: the peer kept another link between us", address);
            return;
        }
        String detail = cause instanceof PeerlinkException p ? p.detail() : "dialing " + address + ": " + cause;
        // the last attempt's own failure: a handshake outcome (a PeerlinkException of its own) means a connection
        // was made; a connect failure is an I/O exception, wrapped when the retries ran out
        Throwable last = cause instanceof PeerlinkException p && p.getCause() != null ? p.getCause() : cause;
        if (expected != null
                && book.isNew(expected, address)
                && AddressBook.notPeerlink(reason, last instanceof PeerlinkException)) {
            book.notPeerlink(address);
            observer.addressCooledDown(address, reason);
        } else {
            book.failed(address);
        }
        observer.dialFailed(address, reason);
        if (expected != null) {
            errors.record(expected, "dial " + address + " gave up", reason, detail);
        }
        bus.publish(new PeerEvent.DialFailed(address, expected, reason, detail));
        log.info("dial {} failed: {} ({})", address, reason.text(), detail);
    }

    private Mono<Connection> attempt(PeerAddress address, @Nullable NodeId expected) {
        if (closed || bootstrap.config().group().isShuttingDown()) {
            return Mono.error(new PeerlinkException(DisconnectReason.SHUTDOWN, "node is stopping"));
        }
        observer.dialAttempt(address);
        // the link's own promise, completed by its registration (or its failure)
        CompletableFuture<Connection> established = new CompletableFuture<>();
        return Mono.<Channel>create(sink -> {
                    ChannelFuture f = bootstrap
                            .clone()
                            .handler(setup.outbound(address, expected, established))
                            .connect(new InetSocketAddress(address.host(), address.port()));
                    f.addListener(x -> {
                        if (f.isSuccess()) {
                            sink.success(f.channel());
                        } else {
                            sink.error(f.cause());
                        }
                    });
                    sink.onCancel(() -> f.cancel(false));
                })
                .flatMap(ch -> Mono.fromFuture(established, false));
    }

    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
