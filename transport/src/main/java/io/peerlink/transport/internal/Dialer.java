package io.peerlink.transport.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.link.LinkState;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

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
    private final ConnectionTable<Channel> table;
    private final AddressBook book;
    private final PeerEventBus bus;
    private final TransportObserver observer;
    private final Supplier<@Nullable PeerAddress> bound;
    private final NodeId self;
    private final RetryBackoffSpec retry;
    private final Map<PeerAddress, Mono<Connection>> inFlight = new ConcurrentHashMap<>();
    private final Map<NodeId, PeerAddress> inFlightIds = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Dialer(EventLoopGroup group, Transports transports, ChannelSetup setup, NodeConfig config,
            ConnectionTable<Channel> table, AddressBook book, PeerEventBus bus, TransportObserver observer,
            Scheduler timers, Supplier<@Nullable PeerAddress> bound, NodeId self) {
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
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.timeouts().connect().toMillis())
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(Defaults.WRITE_LOW_WATER_BYTES, Defaults.WRITE_HIGH_WATER_BYTES));
        this.retry = retrySpec(config.dial(), timers);
    }

    /** The retry template built from the dial policy; only retryable failures are retried. */
    public static RetryBackoffSpec retrySpec(DialPolicy policy, Scheduler scheduler) {
        return Retry.backoff(policy.maxAttempts() - 1L, policy.minBackoff())
                .maxBackoff(policy.maxBackoff())
                .jitter(policy.jitter())
                .scheduler(scheduler)
                .filter(Dialer::retryable)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    static boolean retryable(Throwable t) {
        if (t instanceof PeerlinkException p) {
            return p.retryable();
        }
        return t instanceof IOException || t instanceof TimeoutException
                || t instanceof io.netty.channel.ConnectTimeoutException;
    }

    public ChannelSetup setup() {
        return setup;
    }

    /** Whether a dial to this address or id is under way. */
    public boolean dialing(PeerAddress address, @Nullable NodeId id) {
        return inFlight.containsKey(address) || (id != null && inFlightIds.containsKey(id));
    }

    public Mono<Connection> dial(PeerAddress address, @Nullable NodeId expected) {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new PeerlinkException(DisconnectReason.SHUTDOWN, "node is stopping"));
            }
            if (expected != null) {
                if (expected.equals(self)) {
                    return Mono.error(new PeerlinkException(DisconnectReason.SELF_CONNECTION, "own id " + self));
                }
                ConnectionTable.Link<Channel> link = table.get(expected);
                Connection c = link == null ? null : LinkState.of(link.handle()).connection();
                if (c != null) {
                    return Mono.just(c);
                }
            }
            PeerAddress own = bound.get();
            PeerAddress advertised = config.advertise();
            if (address.equals(own) || address.equals(advertised)) {
                return Mono.error(new PeerlinkException(DisconnectReason.SELF_CONNECTION,
                        "refusing to dial own address " + address));
            }
            return inFlight.computeIfAbsent(address, a -> {
                if (expected != null) {
                    inFlightIds.put(expected, a);
                }
                return attempts(a, expected)
                        .doFinally(s -> {
                            inFlight.remove(a);
                            if (expected != null) {
                                inFlightIds.remove(expected, a);
                            }
                        })
                        .cache();
            });
        });
    }

    private Mono<Connection> attempts(PeerAddress address, @Nullable NodeId expected) {
        return Mono.defer(() -> attempt(address, expected))
                .retryWhen(retry)
                .onErrorMap(e -> giveUp(address, expected, e));
    }

    private Throwable giveUp(PeerAddress address, @Nullable NodeId expected, Throwable e) {
        Throwable cause = Exceptions.unwrap(e);
        DisconnectReason reason = cause instanceof PeerlinkException p ? p.reason() : DisconnectReason.CONNECTION_CLOSED;
        String detail = "gave up dialing " + address + ": " + describe(cause);
        if (reason != DisconnectReason.SHUTDOWN) {
            book.failed(address);
            observer.dialFailed(address, reason);
            bus.publish(new PeerEvent.DialFailed(address, expected, reason, detail));
            log.info("{}", detail);
        }
        return new PeerlinkException(reason, detail, cause);
    }

    private static String describe(Throwable t) {
        if (t instanceof PeerlinkException p) {
            return p.reason().text() + " (" + p.detail() + ")";
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private Mono<Connection> attempt(PeerAddress address, @Nullable NodeId expected) {
        if (closed) {
            return Mono.error(new PeerlinkException(DisconnectReason.SHUTDOWN, "node is stopping"));
        }
        observer.dialAttempt(address);
        return Mono.<Channel>create(sink -> {
                    ChannelFuture f = bootstrap.clone()
                            .handler(setup.outbound(address, expected))
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
                .flatMap(ch -> Mono.fromFuture(LinkState.of(ch).outcome(), false));
    }

    public void close() {
        closed = true;
    }
}
