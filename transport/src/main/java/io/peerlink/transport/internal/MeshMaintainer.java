package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.DialBudget;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.protocol.pex.RecordBook;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * that are not connected (each address with its own cooldown), starts the periodic peer-exchange round
 * ({@link PeerExchanges}) and dials the validators it teaches, which reach it through the {@link MeshFeed}. It does
 * no link I/O of its own.
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
public final class MeshMaintainer {
    private static final Logger log = LoggerFactory.getLogger(MeshMaintainer.class);

    private final NodeId self;
    private final NodeConfig config;
    private final ConnectionTable<PeerLink> table;
    private final AddressBook book;
    private final Dialer dialer;
    private final PeerErrors errors;
    private final PeerExchanges exchanges;
    private final NewAddressDials newAddresses;
    private final BanList bans;
    private final TransportObserver observer;
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
            ConnectionTable<PeerLink> table,
            AddressBook book,
            Dialer dialer,
            PeerExchanges exchanges,
            MeshFeed feed,
            PeerErrors errors,
            Scheduler timers,
            BanList bans,
            TransportObserver observer,
            int attachTo,
            Clocks clocks) {
        this.self = self;
        this.bans = bans;
        this.observer = observer;
        this.newAddresses = new NewAddressDials(
                book,
                new DialBudget(
                        config.pex().newAddressDialsPerMinute(),
                        config.pex().newAddressDialsPerNodePerMinute(),
                        clocks.nanos()),
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
        this.exchanges = exchanges;
        this.errors = errors;
        long tickMillis = Math.min(1000, config.dial().redialInterval().toMillis());
        // the same rounding as NodeConfig.pexRequestsPerMinute, which the request limit is checked against
        this.pexEveryTicks = Math.max(1, config.pexInterval().toMillis() / Math.max(1, tickMillis));
        this.attachments = new Attachments(
                config.role().isValidator() ? 0 : attachTo,
                config.seeds(),
                table,
                book,
                dialer,
                bans,
                newAddresses,
                clocks);
        // the link side reports here; signals arrive on a link's event loop, and none may end the subscription
        feed.learned().subscribe(records -> guarded("learning relayed records", () -> learn(records)));
        feed.validatorLinkClosed().subscribe(c -> guarded("failing over", () -> validatorLinkClosed(c)));
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("mesh maintenance failed {}", what, e);
        }
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
        if (exchanges.exchanges() && ticks % pexEveryTicks == 0) {
            exchanges.requestPeers();
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
                                errors.record(known, "dial of seed " + address + " gave up", p.reason(), p.detail());
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

    /** A validator link closed and was not replaced: a gateway or observer fails over now, not at the next tick. */
    private void validatorLinkClosed(Connection c) {
        if (attachments.attachTo() > 0) {
            attachments.lost(c.peer());
            schedule(attachments::attach);
        }
    }
}
