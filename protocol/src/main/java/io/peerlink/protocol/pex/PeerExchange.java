package io.peerlink.protocol.pex;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.SignedAddressRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Peer exchange between validators, as pure logic: what to answer a request, and which records of an answer to
 * verify. Only validators' own signed address records ({@link AddressRecords}) are exchanged, relayed verbatim, and
 * both directions are bounded by {@code maxEntries}.
 *
 * <pre>{@code
 * PeerExchange pex = new PeerExchange(me.id(), trustRegistry, limits.pexMaxEntries());
 * send(peer, pex.request());
 * PeerExchangeResponse answer = pex.answer(knownPeers, request, requester);
 * List<PeerExchange.Candidate> next = pex.toVerify(from, fromRole, response, book::holds);
 * }</pre>
 */
public final class PeerExchange {

    /**
     * A peer this node knows, as a candidate for an answer.
     *
     * @param authenticated whether this node holds an authenticated link to it
     * @param record its newest signed address record, relayed verbatim
     */
    public record Known(NodeId id, Role role, @Nullable SignedAddressRecord record, boolean authenticated) {
        public Known {
            requireNonNull(id, "id");
            requireNonNull(role, "role");
        }
    }

    /** A record from an answer worth verifying: about a trusted validator, not this node, not held already. */
    public record Candidate(NodeId id, SignedAddressRecord record) {
        public Candidate {
            requireNonNull(id, "id");
            requireNonNull(record, "record");
        }
    }

    private final NodeId self;
    private final TrustRegistry trust;
    private final int maxEntries;
    private final int maxAnswerBytes;

    /**
     * @param maxEntries most entries sent in an answer and read from one (0 turns peer exchange off)
     */
    public PeerExchange(NodeId self, TrustRegistry trust, int maxEntries) {
        this(self, trust, maxEntries, Integer.MAX_VALUE);
    }

    /**
     * @param maxEntries most entries sent in an answer and read from one (0 turns peer exchange off)
     * @param maxAnswerBytes most serialized bytes of an answer this node sends (what a peer configured alike accepts)
     */
    public PeerExchange(NodeId self, TrustRegistry trust, int maxEntries, int maxAnswerBytes) {
        if (maxAnswerBytes < 1) {
            throw new IllegalArgumentException("maxAnswerBytes: " + maxAnswerBytes + " (expected: >= 1)");
        }
        this.maxAnswerBytes = maxAnswerBytes;
        this.self = requireNonNull(self, "self");
        this.trust = requireNonNull(trust, "trust");
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 0)");
        }
        this.maxEntries = maxEntries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /**
     * Whether {@code self} is the one of the pair that dials when both learn of each other from peer exchange;
     * exactly one of {@code dialsFirst(a, b)} and {@code dialsFirst(b, a)} is true, so both ends agree without a
     * message. The smaller id (unsigned byte order) dials when the low bits of the two ids' last bytes are equal,
     * the larger one otherwise, so that every validator dials about half of the others rather than the smallest
     * id dialing everyone.
     */
    public static boolean dialsFirst(NodeId self, NodeId other) {
        requireNonNull(self, "self");
        requireNonNull(other, "other");
        int c = self.compareTo(other);
        if (c == 0) {
            throw new IllegalArgumentException("self and other: same id " + self + " (expected: distinct)");
        }
        byte[] a = self.toBytes();
        byte[] b = other.toBytes();
        boolean smallerDials = ((a[a.length - 1] ^ b[b.length - 1]) & 1) == 0;
        return (c < 0) == smallerDials;
    }

    /** The request this node sends: it accepts up to {@code maxEntries} entries. */
    public PeerExchangeRequest request() {
        return PeerExchangeRequest.newBuilder().setMaxEntries(maxEntries).build();
    }

    /**
     * The answer to {@code request} from {@code requester}: at most {@code min(maxEntries, request.max_entries)}
     * entries ({@code max_entries} 0 means "yours"), never the requester itself nor this node.
     */
    public PeerExchangeResponse answer(Collection<Known> known, PeerExchangeRequest request, NodeId requester) {
        requireNonNull(known, "known");
        requireNonNull(request, "request");
        requireNonNull(requester, "requester");
        long requested = Integer.toUnsignedLong(request.getMaxEntries());
        int bound = requested == 0 ? maxEntries : (int) Math.min(maxEntries, requested);
        List<Known> others = new ArrayList<>(known.size());
        for (Known k : known) {
            if (!k.id().equals(requester) && !k.id().equals(self)) {
                others.add(k);
            }
        }
        return answer(others, bound, maxAnswerBytes);
    }

    /**
     * Lists, in the given order, the signed records of up to {@code maxEntries} authenticated validators (each id
     * once), verbatim.
     */
    public static PeerExchangeResponse answer(Collection<Known> known, int maxEntries) {
        return answer(known, maxEntries, Integer.MAX_VALUE);
    }

    /** As {@link #answer(Collection, int)}, and no larger than {@code maxBytes} serialized. */
    public static PeerExchangeResponse answer(Collection<Known> known, int maxEntries, int maxBytes) {
        requireNonNull(known, "known");
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 0)");
        }
        PeerExchangeResponse.Builder response = PeerExchangeResponse.newBuilder();
        Set<NodeId> listed = new HashSet<>();
        int bytes = 0;
        for (Known k : known) {
            if (response.getRecordsCount() >= maxEntries) {
                break;
            }
            SignedAddressRecord record = k.record();
            if (!k.authenticated() || !k.role().isValidator() || record == null || listed.contains(k.id())) {
                continue;
            }
            // a repeated field's element: tag, length prefix, bytes
            int size = 1
                    + com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(record.getSerializedSize())
                    + record.getSerializedSize();
            if ((long) bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            listed.add(k.id());
            response.addRecords(record);
        }
        return response.build();
    }

    /**
     * The records of an answer worth verifying. An answer from a non-validator is ignored as a whole; only the
     * first {@code maxEntries} records are read; records that do not parse, about this node, about an id that is not
     * a validator in the trust registry, repeated ids, and records already held (per {@code held}) are skipped. The
     * caller verifies the rest ({@link AddressRecords#verify}) and offers them to its {@link RecordBook}.
     */
    public List<Candidate> toVerify(
            NodeId from, Role fromRole, PeerExchangeResponse response, BiPredicate<NodeId, SignedAddressRecord> held) {
        requireNonNull(from, "from");
        requireNonNull(fromRole, "fromRole");
        requireNonNull(response, "response");
        requireNonNull(held, "held");
        if (!fromRole.isValidator()) {
            return List.of();
        }
        int n = Math.min(response.getRecordsCount(), maxEntries);
        List<Candidate> candidates = new ArrayList<>(n);
        Set<NodeId> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            SignedAddressRecord record = response.getRecords(i);
            NodeId id = AddressRecords.claimedId(record);
            if (id == null
                    || id.equals(self)
                    || !seen.add(id)
                    || held.test(id, record)
                    || !trust.roleOf(id).map(Role::isValidator).orElse(false)) {
                continue;
            }
            candidates.add(new Candidate(id, record));
        }
        return candidates;
    }
}
