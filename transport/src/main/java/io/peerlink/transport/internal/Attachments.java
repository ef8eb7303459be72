package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a gateway or observer stays attached to the validators: it keeps links to at least {@code attachTo}
 * validators, its seeds first and then validators it learned by peer exchange, and when one is lost it dials
 * another known validator at once (not at the next upkeep tick), preferring validators it has not lost lately. Each
 * dial is a single attempt; one that fails puts its address in backoff and the next candidate is tried. A seed dial
 * counts towards {@code attachTo} only while an attempt of it is under way, not while it waits out a backoff (as
 * the connection manager's {@code Attachments}, which the simulator runs).
 *
 * <p>Thread-safe: {@link #attach()} runs on the timer, on event loops (a loss, an answer) and where a dial ends; one
 * run at a time, and a call that finds a run under way makes it go round once more.
 */
final class Attachments {
    private static final Logger log = LoggerFactory.getLogger(Attachments.class);

    private final int attachTo;
    private final List<PeerAddress> seeds;
    private final ConnectionTable<PeerLink> table;
    private final AddressBook book;
    private final Dialer dialer;
    private final BanList bans;
    private final NewAddressDials newAddresses;
    private final Clocks clocks;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** When each validator's link was last lost (nanoTime): those are tried last. */
    private final Map<NodeId, Long> lostAt = new ConcurrentHashMap<>();

    Attachments(
            int attachTo,
            List<PeerAddress> seeds,
            ConnectionTable<PeerLink> table,
            AddressBook book,
            Dialer dialer,
            BanList bans,
            NewAddressDials newAddresses,
            Clocks clocks) {
        this.clocks = clocks;
        this.attachTo = attachTo;
        this.seeds = List.copyOf(seeds);
        this.table = table;
        this.book = book;
        this.dialer = dialer;
        this.bans = bans;
        this.newAddresses = newAddresses;
    }

    int attachTo() {
        return attachTo;
    }

    /** Authenticated links to validators right now. */
    int linkedValidators() {
        int n = 0;
        for (ConnectionTable.Link<PeerLink> link : table.links()) {
            Connection c = link.handle().connection();
            if (c != null && c.role().isValidator()) {
                n++;
            }
        }
        return n;
    }

    /** A validator link was lost: remember when, so another validator is preferred over it. */
    void lost(NodeId id) {
        lostAt.put(id, clocks.nanoTime());
    }

    /** Dials known validators until {@code attachTo} are linked or being dialed. */
    void attach() {
        if (attachTo == 0 || dialer.isClosed()) {
            return;
        }
        again.set(true);
        // bounded: a dial that fails at once calls back in here; the tick resumes whatever is left
        for (int round = 0; round < 8 && again.getAndSet(false); round++) {
            if (!running.compareAndSet(false, true)) {
                return; // the run under way goes round once more
            }
            try {
                attachOnce();
            } finally {
                running.set(false);
            }
        }
    }

    private void attachOnce() {
        int seedDials = 0;
        for (PeerAddress seed : seeds) {
            if (dialer.attempting(seed)) {
                // a seed being dialed counts: it is a validator link to be; one waiting out a backoff is down
                seedDials++;
            }
        }
        int want = attachTo - linkedValidators() - inFlight.get() - seedDials;
        if (want <= 0) {
            return;
        }
        List<NodeId> candidates = new ArrayList<>(book.validators().keySet());
        // spread the observers of a network over its validators; validators never lost first, then the longest ago
        Collections.shuffle(candidates, ThreadLocalRandom.current());
        candidates.sort(Comparator.comparingLong(id -> lostAt.getOrDefault(id, Long.MIN_VALUE)));
        for (NodeId id : candidates) {
            if (want <= 0) {
                return;
            }
            if (table.contains(id) || bans.banned(id) || dialer.isClosed()) {
                continue;
            }
            PeerAddress address = readyAddress(id);
            if (address == null) {
                continue;
            }
            if (dialer.dialing(address, id)) {
                want--;
                continue;
            }
            if (!newAddresses.allow(id, address)) {
                continue;
            }
            want--;
            start(address, id);
        }
    }

    private @Nullable PeerAddress readyAddress(NodeId id) {
        for (PeerAddress a : book.targets(id)) {
            if (book.ready(a)) {
                return a;
            }
        }
        return null;
    }

    private void start(PeerAddress address, NodeId id) {
        inFlight.incrementAndGet();
        log.debug("attaching to validator {} at {}", id, address);
        dialer.dialOnce(address, id)
                .doFinally(s -> {
                    inFlight.decrementAndGet();
                    attach(); // linked: nothing to do; failed: its address backs off, try the next one
                })
                .subscribe(null, e -> log.debug("attach dial {} failed: {}", address, e.getMessage()));
    }
}
