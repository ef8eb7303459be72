package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerExplanation.Source;
import io.peerlink.core.PeerExplanation.State;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.handshake.LinkPolicy;
import io.peerlink.transport.internal.link.PeerLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds {@link PeerExplanation}s: why a peer is or is not connected. Reads only thread-safe state (the connection
 * table, the address book, the dialer's in-flight map, the ban list, the trust registry, the last failures), so it
 * may run on any thread, an admin event loop included, and never blocks. Also clears a peer's backoff.
 */
final class Explainer {
    /** Addresses listed for one peer at most. */
    private static final int MAX_ADDRESSES = 16;

    private final NodeConfig config;
    private final TrustRegistry trust;
    private final BanList bans;
    private final ConnectionTable<PeerLink> table;
    private final AddressBook book;
    private final Dialer dialer;
    private final MeshMaintainer mesh;
    private final PeerErrors errors;
    private final Clocks clocks;
    private final Duration tick;

    Explainer(
            NodeConfig config,
            TrustRegistry trust,
            BanList bans,
            ConnectionTable<PeerLink> table,
            AddressBook book,
            Dialer dialer,
            MeshMaintainer mesh,
            PeerErrors errors,
            Clocks clocks) {
        this.clocks = clocks;
        this.config = config;
        this.trust = trust;
        this.bans = bans;
        this.table = table;
        this.book = book;
        this.dialer = dialer;
        this.mesh = mesh;
        this.errors = errors;
        this.tick = config.dial().redialInterval().compareTo(Duration.ofSeconds(1)) < 0
                ? config.dial().redialInterval()
                : Duration.ofSeconds(1);
    }

    /** Everything known about {@code id}; empty if this node knows nothing of it at all. */
    Optional<PeerExplanation> explain(NodeId id) {
        Role trustedRole = trust.roleOf(id).orElse(null);
        ConnectionTable.Link<PeerLink> link = table.get(id);
        Connection c = link == null ? null : link.handle().connection();
        Map<PeerAddress, Set<Source>> addresses = addresses(id, c);
        PeerErrors.Failure failure = errors.last(id);
        boolean banned = bans.banned(id);
        if (trustedRole == null && c == null && addresses.isEmpty() && !banned && failure == null) {
            return Optional.empty();
        }
        Role role = trustedRole != null ? trustedRole : c == null ? null : c.role();
        List<PeerExplanation.KnownAddress> known = new ArrayList<>(addresses.size());
        addresses.forEach((a, s) -> known.add(new PeerExplanation.KnownAddress(a, s)));

        State state;
        String why;
        Instant next = null;
        if (c != null) {
            state = State.CONNECTED;
            why = "linked (" + c.direction().text() + ") since " + c.establishedAt();
        } else if (banned) {
            state = State.BANNED;
            Duration left = bans.remaining(id);
            why = left.toDays() > 3650
                    ? "banned while this node runs (the config's ban list or an operator)"
                    : "banned for another " + Math.max(1, left.toSeconds()) + " s";
        } else if (trustedRole == null) {
            state = State.NOT_DIALING;
            why = "not in the trust registry (unknown or revoked): refused in handshakes, never dialed";
        } else if (dialingAny(id, addresses.keySet())) {
            state = State.DIALING;
            why = "a dial is under way";
        } else if (!LinkPolicy.mayDial(config.role(), trustedRole)) {
            state = State.NOT_DIALING;
            why = "a " + config.role().text() + " does not dial a " + trustedRole.text()
                    + (config.role().isValidator() ? "; it dials this node" : "; it links to validators only");
        } else if (dialable(addresses).isEmpty()) {
            state = State.NOT_DIALING;
            why = "no known address: not a seed that answered, and no peer exchange has named it yet";
        } else {
            AddressBook.Wait wait = null;
            boolean ready = false;
            for (PeerAddress a : dialable(addresses)) {
                AddressBook.Wait w = book.waiting(a);
                if (w == null) {
                    ready = true;
                } else if (wait == null || w.left().compareTo(wait.left()) < 0) {
                    wait = w;
                }
            }
            if (!ready && wait != null) {
                next = clocks.now().plus(wait.left());
                switch (wait.kind()) {
                    case BACKOFF -> {
                        state = State.BACKOFF;
                        why = wait.failures() + " dial(s) in a row failed; the next waits "
                                + Math.max(1, wait.left().toMillis()) + " ms more";
                    }
                    case NOT_PEERLINK -> {
                        state = State.COOLDOWN;
                        why =
                                "it answered with something other than peerlink; left alone for pex.not-peerlink-cooldown";
                    }
                    default -> {
                        state = State.COOLDOWN;
                        why = "held back once: it learned of this node at the same time and is expected to dial it";
                    }
                }
            } else if (!config.role().isValidator()
                    && !isSeed(id)
                    && mesh.attachments().linkedValidators()
                            >= mesh.attachments().attachTo()) {
                state = State.NOT_DIALING;
                why = "attached to " + mesh.attachments().linkedValidators() + " validator(s) already (attach-to "
                        + mesh.attachments().attachTo() + "); dialed if one of them is lost";
            } else {
                state = State.NOT_DIALING;
                next = clocks.now().plus(tick);
                why = "due: dialed at the next mesh upkeep (every " + tick.toMillis()
                        + " ms), when a dial slot and the new-address budget allow";
            }
        }
        return Optional.of(new PeerExplanation(
                id,
                trustedRole != null,
                role,
                state,
                why,
                known,
                c,
                failure == null ? null : failure.text(),
                failure == null ? null : failure.at(),
                next));
    }

    /**
     * Forgets the backoff and cooldown of every address of {@code id} and dials it now if this node dials it.
     * Returns how many addresses were waiting.
     */
    int clearBackoff(NodeId id) {
        int cleared = 0;
        for (PeerAddress a : dialable(addresses(id, null))) {
            if (book.clear(a)) {
                cleared++;
            }
        }
        mesh.redialNow(id);
        return cleared;
    }

    private boolean isSeed(NodeId id) {
        return mesh.seedIds().containsValue(id);
    }

    private boolean dialingAny(NodeId id, Set<PeerAddress> addresses) {
        if (dialer.dialing(id)) {
            return true;
        }
        for (PeerAddress a : addresses) {
            if (dialer.dialing(a, null)) {
                return true;
            }
        }
        return false;
    }

    /** The addresses this node could dial (of a peer not connected: every known one). */
    private static List<PeerAddress> dialable(Map<PeerAddress, Set<Source>> addresses) {
        return new ArrayList<>(addresses.keySet());
    }

    /** Known addresses of {@code id}, best first, with their sources. */
    private Map<PeerAddress, Set<Source>> addresses(NodeId id, @Nullable Connection c) {
        Map<PeerAddress, Set<Source>> out = new LinkedHashMap<>();
        Map<PeerAddress, Set<Source>> noted = book.sources(id);
        for (PeerAddress a : book.targets(id)) {
            out.put(a, EnumSet.noneOf(Source.class));
        }
        noted.forEach((a, s) ->
                out.computeIfAbsent(a, k -> EnumSet.noneOf(Source.class)).addAll(s));
        mesh.seedIds().forEach((seed, who) -> {
            if (who.equals(id)) {
                out.computeIfAbsent(seed, k -> EnumSet.noneOf(Source.class)).add(Source.SEED);
            }
        });
        if (c != null && c.direction() == Direction.INBOUND) {
            PeerAddress a = c.listenAddress() != null ? c.listenAddress() : c.remoteAddress();
            out.computeIfAbsent(a, k -> EnumSet.noneOf(Source.class)).add(Source.INBOUND);
        }
        // a record's address whose source was not noted came with the record in the peer's own handshake
        out.values().forEach(s -> {
            if (s.isEmpty()) {
                s.add(Source.HANDSHAKE);
            }
        });
        if (out.size() > MAX_ADDRESSES) {
            Map<PeerAddress, Set<Source>> first = new LinkedHashMap<>();
            out.entrySet().stream().limit(MAX_ADDRESSES).forEach(e -> first.put(e.getKey(), e.getValue()));
            return first;
        }
        return out;
    }
}
