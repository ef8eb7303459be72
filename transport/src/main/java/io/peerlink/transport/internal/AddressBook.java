package io.peerlink.transport.internal;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerExplanation;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.RecordBook;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Known validator endpoints and a cooldown per address. Endpoints live in a {@link RecordBook}: the address each
 * validator proved in its own handshake, which relayed records never replace, and its newest signed record. An
 * unreachable address is tried less and less often instead of in a loop; a learned address that answered with
 * something other than peerlink is left alone for the long {@code notPeerlinkCooldown}. An address can also be held
 * back once, without counting as a failure ({@link #defer}), while the peer there is expected to dial this node.
 */
public final class AddressBook {
    private static final int MAX_DOUBLINGS = 6;
    private static final long DEFERRED = 0;
    private static final long FAILED = 1;
    private static final long NOT_PEERLINK = 2;

    private final RecordBook records = new RecordBook();
    private final Map<PeerAddress, long[]> cooldowns = new ConcurrentHashMap<>(); // {failures, notBeforeNanos, kind}
    /** Where each validator's addresses came from, for {@code explain}; trimmed with the records. */
    private final Map<NodeId, Map<PeerAddress, Set<PeerExplanation.Source>>> sources = new ConcurrentHashMap<>();

    private final long baseNanos;
    private final long notPeerlinkNanos;
    private final LongSupplier nanoTime;
    private volatile Consumer<PeerAddress> onAddress = a -> {};

    public AddressBook(Duration base, Duration notPeerlinkCooldown, LongSupplier nanoTime) {
        this.baseNanos = base.toNanos();
        this.notPeerlinkNanos = notPeerlinkCooldown.toNanos();
        this.nanoTime = nanoTime;
    }

    /** With the default cooldown for addresses that do not speak peerlink. */
    public AddressBook(Duration base, LongSupplier nanoTime) {
        this(base, io.peerlink.core.config.Defaults.NOT_PEERLINK_COOLDOWN, nanoTime);
    }

    /** A validator authenticated, stating {@code address} and maybe its own verified record. */
    public void proven(NodeId id, PeerAddress address, AddressRecords.@Nullable Verified record) {
        records.proven(id, address, record);
    }

    /** As {@link #proven(NodeId, PeerAddress, AddressRecords.Verified)}, noting whether it dialed this node. */
    public void proven(NodeId id, PeerAddress address, AddressRecords.@Nullable Verified record, boolean inbound) {
        proven(id, address, record);
        PeerExplanation.Source s = inbound ? PeerExplanation.Source.INBOUND : PeerExplanation.Source.HANDSHAKE;
        source(id, address, s);
        if (record != null) {
            record.addresses().forEach(a -> source(id, a, s));
        }
    }

    /** Told of every validator address noted with {@link #source} (the limits keep handshake slots for them). */
    public void onAddress(Consumer<PeerAddress> listener) {
        this.onAddress = listener;
    }

    /** Notes where {@code address} of {@code id} came from (at most 16 addresses a node). */
    public void source(NodeId id, PeerAddress address, PeerExplanation.Source source) {
        onAddress.accept(address);
        sources.compute(id, (k, m) -> {
            Map<PeerAddress, Set<PeerExplanation.Source>> out = m == null ? new ConcurrentHashMap<>() : m;
            if (out.size() < 16 || out.containsKey(address)) {
                out.computeIfAbsent(address, a -> EnumSet.noneOf(PeerExplanation.Source.class))
                        .add(source);
            }
            return out;
        });
    }

    /** Where each address of {@code id} came from, as noted; a copy. */
    public Map<PeerAddress, Set<PeerExplanation.Source>> sources(NodeId id) {
        Map<PeerAddress, Set<PeerExplanation.Source>> out = new HashMap<>();
        // read under the entry's lock: the sets are changed only inside compute
        sources.computeIfPresent(id, (k, v) -> {
            v.forEach((a, set) -> out.put(a, Set.copyOf(set)));
            return v;
        });
        return out;
    }

    /** A relayed, verified record: kept if newer than the one held. */
    public RecordBook.Offer offer(AddressRecords.Verified record) {
        RecordBook.Offer offer = records.offer(record);
        if (offer == RecordBook.Offer.NEWER) {
            for (PeerAddress a : record.addresses()) {
                source(record.id(), a, PeerExplanation.Source.PEER_EXCHANGE);
            }
        }
        return offer;
    }

    /** Whether {@code record} is exactly the one held for {@code id} (no need to verify it again). */
    public boolean holds(NodeId id, SignedAddressRecord record) {
        return records.holds(id, record);
    }

    /** The newest record held for {@code id}, verbatim, to relay. */
    public @Nullable SignedAddressRecord record(NodeId id) {
        AddressRecords.Verified r = records.record(id);
        return r == null ? null : r.signed();
    }

    /** A dial of {@code id} at {@code address} ended in an authenticated link. */
    public void linkedAt(NodeId id, PeerAddress address) {
        records.linkedAt(id, address);
    }

    /** Whether {@code address} never held an authenticated link to {@code id}: dialing it spends the budget. */
    public boolean isNew(NodeId id, PeerAddress address) {
        return !records.wasLinkedAt(id, address);
    }

    /** Where to dial {@code id}, best first: its proven address, then its record's other addresses. */
    public List<PeerAddress> targets(NodeId id) {
        return records.targets(id);
    }

    public void remove(NodeId id) {
        records.remove(id);
        sources.remove(id);
    }

    /** Each known validator with its best address (the proven one if any). */
    public Map<NodeId, PeerAddress> validators() {
        Map<NodeId, PeerAddress> out = new HashMap<>();
        for (NodeId id : records.ids()) {
            List<PeerAddress> t = records.targets(id);
            if (!t.isEmpty()) {
                out.put(id, t.get(0));
            }
        }
        return out;
    }

    /** Whether the address may be dialed now. */
    public boolean ready(PeerAddress address) {
        long[] c = cooldowns.get(address);
        return c == null || nanoTime.getAsLong() - c[1] >= 0;
    }

    /**
     * Holds {@code address} back for {@code wait} unless it already has a cooldown (a failure or an earlier
     * deferral, expired or not): each address is deferred at most once until a link to it succeeds.
     */
    public void defer(PeerAddress address, Duration wait) {
        long until = nanoTime.getAsLong() + wait.toNanos();
        cooldowns.putIfAbsent(address, new long[] {0, until, DEFERRED});
    }

    /** A dial gave up: wait base × 2^(failures-1), capped, before the next one. */
    public void failed(PeerAddress address) {
        cooldowns.compute(address, (a, c) -> {
            long failures = c == null ? 1 : c[0] + 1;
            long wait = baseNanos << Math.min(failures - 1, MAX_DOUBLINGS);
            return new long[] {failures, nanoTime.getAsLong() + wait, FAILED};
        });
    }

    /** A learned address answered, but not as peerlink: leave it alone for the long cooldown. */
    public void notPeerlink(PeerAddress address) {
        cooldowns.compute(address, (a, c) -> new long[] {
            (c == null ? 0 : c[0]) + 1,
            nanoTime.getAsLong() + Math.max(notPeerlinkNanos, baseNanos << MAX_DOUBLINGS),
            NOT_PEERLINK
        });
    }

    public void succeeded(PeerAddress address) {
        cooldowns.remove(address);
    }

    /**
     * Forgets the backoff or cooldown of {@code address} (an operator's {@code clear-backoff}): it may be dialed now.
     * Returns whether it had one that was still running.
     */
    public boolean clear(PeerAddress address) {
        long[] c = cooldowns.remove(address);
        return c != null && nanoTime.getAsLong() - c[1] < 0;
    }

    /**
     * The wait on {@code address} right now, or null if it may be dialed: how much longer, how many dials failed in
     * a row, and why it waits.
     */
    public @Nullable Wait waiting(PeerAddress address) {
        long[] c = cooldowns.get(address);
        if (c == null) {
            return null;
        }
        long left = c[1] - nanoTime.getAsLong();
        if (left <= 0) {
            return null;
        }
        Wait.Kind kind =
                c[2] == FAILED ? Wait.Kind.BACKOFF : c[2] == NOT_PEERLINK ? Wait.Kind.NOT_PEERLINK : Wait.Kind.DEFERRED;
        return new Wait(Duration.ofNanos(left), c[0], kind);
    }

    /**
     * A running wait of one address.
     *
     * @param left how long until it may be dialed
     * @param failures dials in a row that failed
     */
    public record Wait(Duration left, long failures, Kind kind) {
        /** Why an address waits. */
        public enum Kind {
            /** Dials failed: {@code redial-interval} doubling with each failure. */
            BACKOFF,
            /** It answered as something other than peerlink: the long {@code not-peerlink-cooldown}. */
            NOT_PEERLINK,
            /** Held back once: the peer there is expected to dial this node. */
            DEFERRED
        }
    }

    /**
     * Whether a dial that ended with {@code reason} reached something that is not the expected peerlink node: a
     * connection was made ({@code connected}) and the other end sent garbage or frames of another protocol, closed
     * at once, failed TLS, or turned out to be another node. Silence until the handshake deadline is not counted: a
     * real validator that is overloaded looks the same, and must not be left alone for minutes.
     */
    public static boolean notPeerlink(DisconnectReason reason, boolean connected) {
        if (!connected) {
            return false;
        }
        return switch (reason) {
            case MALFORMED_FRAME,
                    FRAME_TOO_LARGE,
                    UNEXPECTED_MESSAGE,
                    PROTOCOL_VERSION,
                    TLS_REQUIRED,
                    UNEXPECTED_PEER,
                    BAD_CHALLENGE,
                    CONNECTION_CLOSED -> true;
            default -> false;
        };
    }
}
