package io.peerlink.transport.internal;

import io.netty.channel.Channel;
import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.protocol.pex.RecordBook;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.link.LinkHandler;
import io.peerlink.transport.internal.link.LinkState;
import io.peerlink.transport.internal.link.OutboundQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Keeps the node meshed: dials seeds at start and again whenever every peer is lost, redials known validators
 * that are not connected (each address with its own cooldown), runs peer exchange between validators and
 * announces newly connected validators to the others so the mesh closes fast. Also hands received application
 * messages to the receive queue and wakes blocked senders when a link drains.
 *
 * <p>Both ends of a pair usually learn of each other from the same exchange. So that they do not both dial (a
 * simultaneous open costs two handshakes, one of them thrown away by the tie-break), a validator learned from
 * peer exchange is dialed at once only by the end that {@link PeerExchange#dialsFirst} picks (a rule both ends
 * compute the same way, which spreads the dialing evenly); the other end holds the address back for one redial
 * interval plus one attempt's connect and handshake timeouts, and dials it itself only if no link exists then.
 * For the same reason a newcomer is announced only to the validators that are to dial it.
 *
 * <p>At most {@code dial.meshDialsInFlight} (default {@link Defaults#MESH_DIALS_IN_FLIGHT}) dials of learned
 * validators run at a time; the others wait in the address book and start as earlier dials end. A dial gives its
 * slot back after one attempt's connect and handshake timeouts even if it goes on retrying, so unreachable
 * validators cannot hold up the others. Without the bound, a node that learns of 60 validators starts 60
 * handshakes at once, and when every node of a large mesh does so the handshakes queue up for the CPU past the
 * handshake timeout, fail and are retried, which adds more load.
 *
 * <p>Peer exchange relays signed address records ({@link AddressRecords}); they are verified off the event loop and
 * offered to the {@link AddressBook}, where an address a validator proved in its own handshake is always dialed
 * first. An address that never held a link to its validator is dialed once and only within the {@link DialBudget};
 * every link's peer-exchange traffic is held to its limits by {@link PexDefences}.
 *
 * <p>A gateway or observer asks the validators it is linked to for the validators they know, and stays attached to
 * at least {@code attachTo} of them through {@link Attachments}, failing over at once when one is lost.
 */
public final class MeshMaintainer implements LinkHandler.Events, LinkRegistry.ConnectedHook {
    private static final Logger log = LoggerFactory.getLogger(MeshMaintainer.class);

    private final NodeId self;
    private final NodeConfig config;
    private final ConnectionTable<Channel> table;
    private final AddressBook book;
    private final Dialer dialer;
    private final InboundQueue inbound;
    private final LinkRegistry registry;
    private final PeerExchange pex;
    private final NewAddressDials newAddresses;
    private final BanList bans;
    private final TransportObserver observer;
    private final PexDefences defences;
    private final Attachments attachments;
    /** Which node answered at each seed address, once known. */
    private final Map<PeerAddress, NodeId> seedIds = new ConcurrentHashMap<>();

    private final long pexEveryTicks;
    private final AtomicInteger validatorDials = new AtomicInteger();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private final Scheduler timers;
    /** How long one dial holds its slot at most: one attempt's connect and handshake, not its retries. */
    private final long slotMillis;
    /** How long the end that does not dial first waits for the other: its queue, then one attempt, then a redial. */
    private final java.time.Duration deferral;

    private long ticks;
    private boolean hadPeers;

    public MeshMaintainer(
            NodeId self,
            NodeConfig config,
            ConnectionTable<Channel> table,
            AddressBook book,
            Dialer dialer,
            Admission admission,
            InboundQueue inbound,
            LinkRegistry registry,
            Scheduler timers,
            Executor crypto,
            BanList bans,
            TransportObserver observer,
            int attachTo) {
        this.self = self;
        this.bans = bans;
        this.observer = observer;
        this.defences = new PexDefences(config, bans, observer, crypto);
        this.newAddresses = new NewAddressDials(
                book,
                new DialBudget(
                        config.pex().newAddressDialsPerMinute(),
                        config.pex().newAddressDialsPerNodePerMinute(),
                        System::nanoTime),
                observer);
        this.timers = timers;
        this.slotMillis =
                config.timeouts().connect().plus(config.timeouts().handshake()).toMillis();
        this.deferral = config.dial()
                .redialInterval()
                .plus(config.timeouts().connect())
                .plus(config.timeouts().handshake());
        this.config = config;
        this.table = table;
        this.book = book;
        this.dialer = dialer;
        this.inbound = inbound;
        this.registry = registry;
        this.pex = new PeerExchange(
                self,
                admission.registry(),
                config.limits().pexMaxEntries(),
                config.pex().maxAnswerBytes());
        long tickMillis = Math.min(1000, config.dial().redialInterval().toMillis());
        // the same rounding as NodeConfig.pexRequestsPerMinute, which the request limit is checked against
        this.pexEveryTicks = Math.max(1, config.pexInterval().toMillis() / Math.max(1, tickMillis));
        this.attachments = new Attachments(
                config.role().isValidator() ? 0 : attachTo, config.seeds(), table, book, dialer, bans, newAddresses);
    }

    private void schedule(Runnable task) {
        if (dialer.isClosed()) {
            return;
        }
        try {
            timers.schedule(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("not scheduled: the timer is shut down");
        }
    }

    /** Whether this node learns validators by peer exchange: every validator, and a non-validator that attaches. */
    private boolean exchanges() {
        return config.role().isValidator() || attachments.attachTo() > 0;
    }

    Attachments attachments() {
        return attachments;
    }

    /** The node id that answered at each seed address, once known; a copy. */
    Map<PeerAddress, NodeId> seedIds() {
        return Map.copyOf(seedIds);
    }

    /** Dials {@code id} now (an operator cleared its backoff), on the timer thread, as the upkeep tick would. */
    void redialNow(NodeId id) {
        schedule(() -> {
            for (PeerAddress seed : config.seeds()) {
                if (java.util.Objects.equals(id, seedIds.get(seed)) && !table.contains(id) && book.ready(seed)) {
                    dialQuietly(seed, null);
                }
            }
            if (config.role().isValidator()) {
                dialNext(id);
            } else {
                attachments.attach();
            }
        });
    }

    /** Periodic maintenance, on the timer thread. */
    public void tick() {
        ticks++;
        boolean empty = table.size() == 0;
        if (empty && hadPeers && !config.seeds().isEmpty()) {
            log.warn(
                    "lost every peer; re-bootstrapping from {} seed(s)",
                    config.seeds().size());
        }
        hadPeers = !empty;
        Map<NodeId, PeerAddress> validators = book.validators();
        for (PeerAddress seed : config.seeds()) {
            NodeId id = seedIds.get(seed);
            if (id == null) {
                id = connectedAt(seed, validators);
            }
            if ((id == null || !table.contains(id)) && book.ready(seed)) {
                dialQuietly(seed, null);
            }
        }
        if (config.role().isValidator()) {
            refill();
        } else {
            attachments.attach();
        }
        if (exchanges() && ticks % pexEveryTicks == 0) {
            requestPeers();
        }
    }

    /** The connected validator listening at {@code address} (a seed that dialed us first), if any. */
    private @Nullable NodeId connectedAt(PeerAddress address, Map<NodeId, PeerAddress> validators) {
        for (Map.Entry<NodeId, PeerAddress> e : validators.entrySet()) {
            if (e.getValue().equals(address) && table.contains(e.getKey())) {
                seedIds.put(address, e.getKey());
                book.source(e.getKey(), address, io.peerlink.core.PeerExplanation.Source.SEED);
                return e.getKey();
            }
        }
        return null;
    }

    private void dialQuietly(PeerAddress address, @Nullable NodeId expected) {
        if (dialer.dialing(address, expected)) {
            return;
        }
        dialer.dial(address, expected)
                .subscribe(
                        c -> {
                            if (config.seeds().contains(address)) {
                                seedIds.put(address, c.peer());
                                book.source(c.peer(), address, io.peerlink.core.PeerExplanation.Source.SEED);
                            }
                        },
                        e -> {
                            log.debug("dial {} failed: {}", address, e.getMessage());
                            NodeId known = seedIds.get(address);
                            Throwable cause = reactor.core.Exceptions.unwrap(e);
                            if (known != null
                                    && cause instanceof io.peerlink.core.PeerlinkException p
                                    && p.reason() != io.peerlink.core.DisconnectReason.SHUTDOWN) {
                                registry.errors()
                                        .record(known, "dial of seed " + address + " gave up", p.reason(), p.detail());
                            }
                        });
    }

    /**
     * Dials {@code id} at the first of its addresses that is not cooling down, best first (the address it proved in
     * its own handshake leads). An address that never held a link to it is dialed once, and only within the
     * new-address budget. Returns false when no dial slot is free.
     */
    private boolean dialNext(NodeId id) {
        if (validatorDials.get() >= config.dial().meshDialsInFlight()) {
            return false;
        }
        if (table.contains(id) || bans.banned(id)) {
            return true;
        }
        for (PeerAddress address : book.targets(id)) {
            if (!book.ready(address)) {
                continue;
            }
            if (dialer.dialing(address, id)) {
                return true;
            }
            boolean fresh = book.isNew(id, address);
            if (!newAddresses.allow(id, address)) {
                return true;
            }
            return dialValidator(address, id, fresh);
        }
        return true;
    }

    /** Dials a validator if a dial slot is free; otherwise it waits in the book for {@link #refill()}. */
    private boolean dialValidator(PeerAddress address, NodeId id, boolean once) {
        if (dialer.dialing(address, id) || dialer.isClosed()) {
            return true;
        }
        if (validatorDials.incrementAndGet() > config.dial().meshDialsInFlight()) {
            validatorDials.decrementAndGet();
            return false;
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                validatorDials.decrementAndGet();
                refill();
            }
        };
        Disposable expiry = timers.schedule(release, slotMillis, TimeUnit.MILLISECONDS);
        (once ? dialer.dialOnce(address, id) : dialer.dial(address, id))
                .doFinally(signal -> {
                    expiry.dispose();
                    release.run();
                })
                .subscribe(null, e -> log.debug("dial {} failed: {}", address, e.getMessage()));
        return true;
    }

    /**
     * Starts dials of known validators that are not linked, while dial slots are free (every tick, and whenever a
     * slot frees up). Not reentrant, so a dial that fails at once ends here.
     */
    private void refill() {
        if (!config.role().isValidator() || dialer.isClosed() || !refilling.compareAndSet(false, true)) {
            return;
        }
        try {
            for (NodeId id : book.validators().keySet()) {
                if (!dialNext(id)) {
                    return;
                }
            }
        } finally {
            refilling.set(false);
        }
    }

    private void requestPeers() {
        Envelope request =
                Envelope.newBuilder().setPeerExchangeRequest(pex.request()).build();
        for (ConnectionTable.Link<Channel> link : table.links()) {
            Connection c = LinkState.of(link.handle()).connection();
            if (c != null && c.role().isValidator()) {
                defences.guard(link.handle()).requested();
                link.handle().writeAndFlush(request, link.handle().voidPromise());
            }
        }
    }

    @Override
    public void onConnected(Channel channel, Connection connection) {
        if (!exchanges() || !connection.role().isValidator()) {
            return;
        }
        if (!config.role().isValidator()) {
            // a gateway or observer: learn the validators this one knows, to fail over to
            defences.guard(channel).requested();
            channel.writeAndFlush(
                    Envelope.newBuilder().setPeerExchangeRequest(pex.request()).build(), channel.voidPromise());
            return;
        }
        defences.guard(channel).requested();
        channel.writeAndFlush(
                Envelope.newBuilder().setPeerExchangeRequest(pex.request()).build(), channel.voidPromise());
        if (connection.listenAddress() == null || book.record(connection.peer()) == null) {
            return;
        }
        // announce the newcomer to the other validators that are to dial it, so the mesh
        // closes without waiting for the next round; the others are dialed by the newcomer itself, which learns
        // of them from our answer to its request
        Envelope announce = null;
        for (ConnectionTable.Link<Channel> link : table.links()) {
            Connection other = LinkState.of(link.handle()).connection();
            if (other != null
                    && other.role().isValidator()
                    && !other.peer().equals(connection.peer())
                    && PeerExchange.dialsFirst(other.peer(), connection.peer())
                    && defences.guard(link.handle()).tryAnnounce()) {
                if (announce == null) {
                    announce = Envelope.newBuilder()
                            .setPeerExchangeResponse(PeerExchange.answer(List.of(known(connection)), 1).toBuilder()
                                    .setAnnouncement(true))
                            .build();
                }
                link.handle().writeAndFlush(announce, link.handle().voidPromise());
            }
        }
    }

    private PeerExchange.Known known(Connection c) {
        return new PeerExchange.Known(c.peer(), c.role(), c.role().isValidator() ? book.record(c.peer()) : null, true);
    }

    @Override
    public void onPeerExchangeRequest(Channel channel, PeerExchangeRequest request) {
        Connection asker = LinkState.of(channel).connection();
        // validators answer every trusted peer linked to them: gateways and observers learn where to fail over
        if (!config.role().isValidator() || asker == null) {
            return;
        }
        String over = defences.guard(channel).onRequest();
        if (over != null) {
            defences.abuse(channel, asker, over);
            return;
        }
        List<PeerExchange.Known> known = new ArrayList<>();
        for (ConnectionTable.Link<Channel> link : table.links()) {
            Connection c = LinkState.of(link.handle()).connection();
            if (c != null) {
                known.add(known(c));
            }
        }
        LinkState.answer(
                channel,
                channel,
                Envelope.newBuilder()
                        .setPeerExchangeResponse(pex.answer(known, request, asker.peer()))
                        .build());
    }

    /**
     * An answer (or an announcement): checked against the link's limits at once; the records worth it are verified
     * on the crypto executor, then offered to the book and dialed, back on the channel's event loop.
     */
    @Override
    public void onPeerExchangeResponse(Channel channel, PeerExchangeResponse response) {
        Connection from = LinkState.of(channel).connection();
        if (!exchanges() || from == null) {
            return;
        }
        if (!from.role().isValidator()) {
            log.debug("ignored a peer exchange answer from non-validator {}", from.peer());
            return;
        }
        String over = defences.guard(channel)
                .onAnswer(response.getRecordsCount(), response.getSerializedSize(), response.getAnnouncement());
        if (over != null) {
            defences.abuse(channel, from, over);
            return;
        }
        List<PeerExchange.Candidate> candidates = pex.toVerify(from.peer(), from.role(), response, book::holds);
        if (candidates.isEmpty()) {
            return;
        }
        defences.verify(channel, candidates, this::learn);
    }

    /**
     * Verified relayed records: the newer ones replace the records held, and their nodes are dialed if needed.
     *
     * <p>A newer record means its validator signed a new one since we last heard: it restarted (every start signs
     * one) or moved. The cooldowns its addresses earned while the previous run was down no longer apply, so they are
     * cleared and it is dialed at once. If we still hold a link to it, that link predates the record and may be
     * half-dead (a crashed host sends no reset): the end that dials first dials again, and the new link, which
     * carries the newer boot incarnation, takes over at once instead of being refused as a duplicate. Likewise a
     * dial of it that waits in the backoff it began while the old run was down is not waited for.
     */
    private void learn(List<AddressRecords.Verified> records) {
        if (!config.role().isValidator()) {
            records.forEach(book::offer);
            attachments.attach();
            return;
        }
        for (AddressRecords.Verified r : records) {
            if (book.offer(r) != RecordBook.Offer.NEWER || dialer.isClosed()) {
                continue;
            }
            for (PeerAddress a : r.addresses()) {
                if (!book.isNew(r.id(), a)) {
                    book.succeeded(a);
                }
            }
            List<PeerAddress> targets = book.targets(r.id());
            if (!targets.isEmpty() && (table.contains(r.id()) || dialer.dialing(targets.get(0), r.id()))) {
                // a link that predates the record (maybe half-dead), or a dial waiting in the backoff it began while
                // the previous run was down: the end that dials first tries once more now, at an address that has
                // held a link to it before (a new one waits for the budget like any other, else an insider relaying
                // fresh records would dial past it)
                if (PeerExchange.dialsFirst(self, r.id())
                        && !bans.banned(r.id())
                        && !book.isNew(r.id(), targets.get(0))) {
                    log.debug("dialing {} now: its record is newer than our link or dial", r.id());
                    dialer.dialNow(targets.get(0), r.id())
                            .subscribe(null, e -> log.debug("dial of {} failed: {}", r.id(), e.getMessage()));
                }
                continue;
            }
            if (!PeerExchange.dialsFirst(self, r.id())) {
                // the peer is told about us too and dials; take over only if it has not by then
                for (PeerAddress a : book.targets(r.id())) {
                    if (book.isNew(r.id(), a)) {
                        book.defer(a, deferral);
                    }
                }
            }
            dialNext(r.id());
        }
    }

    @Override
    public void onApplication(Channel channel, AppMessage message) {
        Connection from = LinkState.of(channel).connection();
        if (from != null) {
            inbound.deliver(channel, new InboundMessage(from.peer(), message.getProtocol(), message.getPayload()));
        }
    }

    @Override
    public void onWritabilityChanged(Channel channel) {
        OutboundQueue q = LinkState.of(channel).outbound();
        if (q != null) {
            q.wakeWaiters();
        }
    }

    @Override
    public void onClosed(Channel channel) {
        LinkState state = LinkState.of(channel);
        OutboundQueue q = state.outbound();
        if (q != null) {
            q.close();
        }
        state.pendingInbound().clear();
        registry.onClosed(channel);
        Connection c = state.connection();
        if (c != null && c.role().isValidator() && !state.superseded() && attachments.attachTo() > 0) {
            // fail over now, not at the next tick
            attachments.lost(c.peer());
            schedule(attachments::attach);
        }
    }
}
