package io.peerlink.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Counts what the transport reports into Micrometer meters, named for Prometheus as {@code peerlink_*}. Called on
 * event loops: every hook is a counter increment on a cached meter; meters for a new tag value (a message kind, a
 * disconnect reason) are created once and then reused.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * AtomicReference<Node> ref = new AtomicReference<>();
 * MicrometerObserver observer =
 *         new MicrometerObserver(registry, () -> ref.get() == null ? List.of() : ref.get().peers());
 * Node node = Node.builder()...observer(observer).build();
 * ref.set(node);
 * }</pre>
 */
public final class MicrometerObserver implements TransportObserver {
    static final String HANDSHAKES = "peerlink.handshakes";
    static final String HANDSHAKE_DURATION = "peerlink.handshake.duration";
    static final String BYTES = "peerlink.bytes";
    static final String MESSAGES = "peerlink.messages";
    static final String DIAL_ATTEMPTS = "peerlink.dial.attempts";
    static final String DIAL_FAILURES = "peerlink.dial.failures";
    static final String PEER_LOSSES = "peerlink.peer.losses";
    static final String LIMIT_REJECTIONS = "peerlink.limit.rejections";
    static final String DUPLICATES_CLOSED = "peerlink.duplicates.closed";
    static final String PEER_RESTARTS = "peerlink.peer.restarts";
    static final String CONNECTIONS = "peerlink.connections";
    static final String LOSS_DETECTION = "peerlink.loss.detection";
    static final String PEX_DIAL_REFUSALS = "peerlink.pex.dial.refusals";
    static final String PEX_ADDRESS_COOLDOWNS = "peerlink.pex.address.cooldowns";
    static final String PEX_RECORDS_REJECTED = "peerlink.pex.records.rejected";
    static final String PEX_ABUSE = "peerlink.pex.abuse";

    private static final int REASONS = DisconnectReason.values().length;

    private final MeterRegistry registry;
    private final Supplier<? extends List<PeerStatus>> peers;

    private final Counter[] handshakeSuccess = new Counter[2];
    /** Indexed by direction * REASONS + reason. */
    private final AtomicReferenceArray<Counter> handshakeFailure = new AtomicReferenceArray<>(2 * REASONS);

    private final Timer[] handshakeDuration = new Timer[2];
    private final Counter bytesIn;
    private final Counter bytesOut;
    private final ConcurrentHashMap<String, Counter> messagesIn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> messagesOut = new ConcurrentHashMap<>();
    private final Counter dialAttempts;
    private final AtomicReferenceArray<Counter> dialFailures = new AtomicReferenceArray<>(REASONS);
    private final AtomicReferenceArray<Counter> peerLosses = new AtomicReferenceArray<>(REASONS);
    private final AtomicReferenceArray<Timer> lossDetection = new AtomicReferenceArray<>(REASONS);
    private final ConcurrentHashMap<String, Counter> limitRejections = new ConcurrentHashMap<>();
    private final Counter duplicatesClosed;
    private final Counter peerRestarts;
    /** Peer-exchange counters, keyed by meter name and tag value. */
    private final ConcurrentHashMap<String, Counter> pexCounters = new ConcurrentHashMap<>();

    /**
     * Registers the meters.
     *
     * @param peers the current peers, read when the connection gauges are scraped
     */
    public MicrometerObserver(MeterRegistry registry, Supplier<? extends List<PeerStatus>> peers) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.peers = Objects.requireNonNull(peers, "peers");
        for (Direction d : Direction.values()) {
            handshakeSuccess[d.ordinal()] = Counter.builder(HANDSHAKES)
                    .description("Handshakes by outcome, failure reason and direction")
                    .tags("outcome", "success", "reason", "none", "direction", d.text())
                    .register(registry);
            handshakeDuration[d.ordinal()] = Timer.builder(HANDSHAKE_DURATION)
                    .description("Time from accept or connect to authenticated")
                    .tag("direction", d.text())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(10))
                    .register(registry);
        }
        bytesIn = bytes("in");
        bytesOut = bytes("out");
        dialAttempts = Counter.builder(DIAL_ATTEMPTS)
                .description("Dial attempts, each retry counted")
                .register(registry);
        duplicatesClosed = Counter.builder(DUPLICATES_CLOSED)
                .description("Links closed as duplicates of another link to the same peer")
                .register(registry);
        peerRestarts = Counter.builder(PEER_RESTARTS)
                .description("Links taken over by a newer boot incarnation of their peer (the peer restarted)")
                .register(registry);
        for (Role role : Role.values()) {
            for (Direction d : Direction.values()) {
                Gauge.builder(CONNECTIONS, this, o -> o.count(role, d))
                        .description("Authenticated peers by role and direction")
                        .tags("role", role.text(), "direction", d.text())
                        .register(registry);
            }
        }
    }

    private Counter bytes(String direction) {
        return Counter.builder(BYTES)
                .description("Bytes read from and written to peer sockets")
                .tag("direction", direction)
                .register(registry);
    }

    private double count(Role role, Direction direction) {
        int n = 0;
        for (PeerStatus p : peers.get()) {
            Connection c = p.connection();
            if (c.role() == role && c.direction() == direction) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void handshakeSucceeded(Direction direction, long nanos) {
        handshakeSuccess[direction.ordinal()].increment();
        handshakeDuration[direction.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void handshakeFailed(Direction direction, DisconnectReason reason, boolean byPeer) {
        cached(
                        handshakeFailure,
                        direction.ordinal() * REASONS + reason.ordinal(),
                        () -> Counter.builder(HANDSHAKES)
                                .description("Handshakes by outcome, failure reason and direction")
                                .tags("outcome", "failure", "reason", reason.text(), "direction", direction.text())
                                .register(registry))
                .increment();
    }

    @Override
    public void duplicateClosed() {
        duplicatesClosed.increment();
    }

    @Override
    public void peerRestarted(Connection previous, Connection current) {
        peerRestarts.increment();
    }

    @Override
    public void peerLost(Connection connection, DisconnectReason reason) {
        cached(
                        peerLosses,
                        reason.ordinal(),
                        () -> Counter.builder(PEER_LOSSES)
                                .description("Authenticated links lost without an orderly goodbye, by reason")
                                .tag("reason", reason.text())
                                .register(registry))
                .increment();
    }

    @Override
    public void lossDetected(Connection connection, DisconnectReason reason, long silentNanos) {
        Timer t = lossDetection.get(reason.ordinal());
        if (t == null) {
            t = Timer.builder(LOSS_DETECTION)
                    .description("Time from a lost peer's last pong to the loss being detected, by reason")
                    .tag("reason", reason.text())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(10))
                    .maximumExpectedValue(Duration.ofMinutes(1))
                    .register(registry);
            lossDetection.lazySet(reason.ordinal(), t);
        }
        t.record(silentNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void bytesRead(long bytes) {
        bytesIn.increment(bytes);
    }

    @Override
    public void bytesWritten(long bytes) {
        bytesOut.increment(bytes);
    }

    @Override
    public void messageRead(String kind) {
        message(messagesIn, "in", kind).increment();
    }

    @Override
    public void messageWritten(String kind) {
        message(messagesOut, "out", kind).increment();
    }

    @Override
    public void messagesWritten(String kind, int count) {
        message(messagesOut, "out", kind).increment(count);
    }

    @Override
    public void dialAttempt(PeerAddress address) {
        dialAttempts.increment();
    }

    @Override
    public void dialFailed(PeerAddress address, DisconnectReason reason) {
        cached(
                        dialFailures,
                        reason.ordinal(),
                        () -> Counter.builder(DIAL_FAILURES)
                                .description("Dials that gave up after their last attempt, by reason")
                                .tag("reason", reason.text())
                                .register(registry))
                .increment();
    }

    @Override
    public void limitReached(String limit) {
        lookup(
                        limitRejections,
                        limit,
                        l -> Counter.builder(LIMIT_REJECTIONS)
                                .description("Connections refused by a limit")
                                .tag("limit", l)
                                .register(registry))
                .increment();
    }

    @Override
    public void newAddressDialRefused(String scope) {
        pex(PEX_DIAL_REFUSALS, "Dials of never-linked learned addresses refused by the budget", "scope", scope);
    }

    @Override
    public void addressCooledDown(PeerAddress address, DisconnectReason reason) {
        pex(
                PEX_ADDRESS_COOLDOWNS,
                "Learned addresses that did not speak peerlink, cooled down long",
                "reason",
                reason.text());
    }

    @Override
    public void addressRecordRejected(String problem) {
        pex(PEX_RECORDS_REJECTED, "Relayed address records dropped, by problem", "problem", problem);
    }

    @Override
    public void pexAbuse(Connection peer, String detail) {
        pex(
                PEX_ABUSE,
                "Peers disconnected and banned for peer-exchange abuse",
                "reason",
                DisconnectReason.PEX_ABUSE.text());
    }

    private void pex(String name, String description, String tag, String value) {
        lookup(
                        pexCounters,
                        name + '|' + value,
                        k -> Counter.builder(name)
                                .description(description)
                                .tag(tag, value)
                                .register(registry))
                .increment();
    }

    private Counter message(ConcurrentHashMap<String, Counter> cache, String direction, String kind) {
        return lookup(
                cache,
                kind,
                k -> Counter.builder(MESSAGES)
                        .description("Frames decoded and encoded, by message kind")
                        .tags("direction", direction, "kind", k)
                        .register(registry));
    }

    private static Counter lookup(
            ConcurrentHashMap<String, Counter> cache, String key, Function<String, Counter> create) {
        Counter c = cache.get(key); // no lock on the hot path
        return c != null ? c : cache.computeIfAbsent(key, create);
    }

    private static Counter cached(AtomicReferenceArray<Counter> cache, int index, Supplier<Counter> create) {
        Counter c = cache.get(index);
        if (c == null) {
            // the registry returns the same meter for the same id, so a race registers nothing twice
            c = create.get();
            cache.lazySet(index, c);
        }
        return c;
    }
}
