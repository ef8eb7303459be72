package io.peerlink.protocol.pex;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Where each known validator can be reached, and how this node knows it. Two sources, never mixed up:
 *
 * <ul>
 *   <li><b>proven</b>: the listen address a node stated in its own authenticated handshake (bound into the proof);
 *       only a later handshake of that same node replaces it;
 *   <li><b>record</b>: the newest {@linkplain AddressRecords.Verified verified signed record} of the node, from its
 *       handshake or relayed by peer exchange; a record replaces the one held only with a higher sequence number.
 * </ul>
 *
 * A relayed record never replaces or hides a proven address: {@link #targets} lists the proven address first, and
 * the record's other addresses only after it. Addresses a node once held an authenticated link at are remembered
 * ({@link #linkedAt}) so that dialing them again is not counted as dialing something new. Thread-safe.
 *
 * <pre>{@code
 * book.proven(peer.id(), peer.listenAddress(), peer.record());       // after a handshake
 * if (book.offer(verified) == RecordBook.Offer.NEWER) dial(book.targets(verified.id()));
 * }</pre>
 */
public final class RecordBook {
    /** Addresses remembered per node as once linked. */
    static final int MAX_LINKED_PER_NODE = 8;

    /** What became of an offered record. */
    public enum Offer {
        /** Newer than the record held (or the first): it is now the node's record. */
        NEWER,
        /** The very record held already. */
        SAME,
        /** Not newer than the record held: dropped. */
        STALE
    }

    private record Entry(
            @Nullable PeerAddress proven, AddressRecords.@Nullable Verified record, Set<PeerAddress> linked) {}

    private final Map<NodeId, Entry> entries = new ConcurrentHashMap<>();

    /**
     * A node authenticated and stated {@code address} (may be null: it accepts no connections) and, maybe, its own
     * record. The proven address replaces the one held; the record is taken if it is not older than the one held.
     */
    public void proven(NodeId id, @Nullable PeerAddress address, AddressRecords.@Nullable Verified record) {
        requireNonNull(id, "id");
        if (record != null && !record.id().equals(id)) {
            throw new IllegalArgumentException("record of " + record.id() + " offered as the record of " + id);
        }
        entries.compute(id, (k, e) -> {
            AddressRecords.Verified held = e == null ? null : e.record();
            AddressRecords.Verified keep =
                    record != null && (held == null || record.sequence() >= held.sequence()) ? record : held;
            Set<PeerAddress> linked = e == null ? new LinkedHashSet<>() : new LinkedHashSet<>(e.linked());
            if (address != null) {
                remember(linked, address);
            }
            return new Entry(address != null ? address : (e == null ? null : e.proven()), keep, linked);
        });
    }

    /** A relayed record, already verified: taken only if newer than the one held. */
    public Offer offer(AddressRecords.Verified record) {
        requireNonNull(record, "record");
        Offer[] outcome = new Offer[1];
        entries.compute(record.id(), (k, e) -> {
            AddressRecords.Verified held = e == null ? null : e.record();
            if (held != null && record.sequence() <= held.sequence()) {
                outcome[0] = held.signed().equals(record.signed()) ? Offer.SAME : Offer.STALE;
                return e;
            }
            outcome[0] = Offer.NEWER;
            return new Entry(e == null ? null : e.proven(), record, e == null ? new LinkedHashSet<>() : e.linked());
        });
        return outcome[0];
    }

    /** Whether {@code signed} is exactly the record held for its node (no need to verify it again). */
    public boolean holds(NodeId id, io.peerlink.proto.v1.SignedAddressRecord signed) {
        Entry e = entries.get(id);
        return e != null && e.record() != null && e.record().signed().equals(signed);
    }

    /** A dial of {@code id} at {@code address} ended in an authenticated link. */
    public void linkedAt(NodeId id, PeerAddress address) {
        entries.compute(id, (k, e) -> {
            Set<PeerAddress> linked = e == null ? new LinkedHashSet<>() : new LinkedHashSet<>(e.linked());
            remember(linked, address);
            return new Entry(e == null ? null : e.proven(), e == null ? null : e.record(), linked);
        });
    }

    private static void remember(Set<PeerAddress> linked, PeerAddress address) {
        linked.remove(address);
        linked.add(address);
        if (linked.size() > MAX_LINKED_PER_NODE) {
            linked.remove(linked.iterator().next());
        }
    }

    /** Whether this node once held an authenticated link to {@code id} at {@code address}. */
    public boolean wasLinkedAt(NodeId id, PeerAddress address) {
        Entry e = entries.get(id);
        return e != null && e.linked().contains(address);
    }

    /** The address {@code id} proved in its last handshake with this node, if any. */
    public @Nullable PeerAddress proven(NodeId id) {
        Entry e = entries.get(id);
        return e == null ? null : e.proven();
    }

    /** The newest record held for {@code id}, if any. */
    public AddressRecords.@Nullable Verified record(NodeId id) {
        Entry e = entries.get(id);
        return e == null ? null : e.record();
    }

    /** Where to dial {@code id}, best first: its proven address, then its record's other addresses. */
    public List<PeerAddress> targets(NodeId id) {
        Entry e = entries.get(id);
        if (e == null) {
            return List.of();
        }
        List<PeerAddress> out = new ArrayList<>(4);
        if (e.proven() != null) {
            out.add(e.proven());
        }
        if (e.record() != null) {
            for (PeerAddress a : e.record().addresses()) {
                if (!out.contains(a)) {
                    out.add(a);
                }
            }
        }
        return out;
    }

    /** The nodes with at least one address. */
    public List<NodeId> ids() {
        List<NodeId> out = new ArrayList<>(entries.size());
        entries.forEach((id, e) -> {
            if (e.proven() != null || e.record() != null) {
                out.add(id);
            }
        });
        return out;
    }

    /** Forgets a node (revoked). */
    public void remove(NodeId id) {
        entries.remove(id);
    }
}
