package io.peerlink.protocol.handshake;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Signer;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.AddressRecords;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * This node as the handshake presents it.
 *
 * <pre>{@code
 * LocalPeer me = LocalPeer.of(identity, Role.VALIDATOR, PeerAddress.parse("10.0.0.1:7000"));
 * }</pre>
 *
 * @param record this node's signed address record, sent in Identify; required when {@code advertise} is set
 *     (and must list it)
 * @param incarnation this node's boot incarnation ({@link #newIncarnation()}), the same for every handshake of one
 *     start; 0 means unknown
 */
public record LocalPeer(
        NodeId id,
        byte[] publicKey,
        Role role,
        @Nullable PeerAddress advertise,
        Signer signer,
        @Nullable SignedAddressRecord record,
        long incarnation) {
    private static final AtomicLong LAST_INCARNATION = new AtomicLong();

    public LocalPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(signer, "signer");
    }

    /**
     * A boot incarnation for a node that starts now: the current time in milliseconds, and more than any value this
     * JVM handed out before (several nodes, or a node stopped and started again within a millisecond). Across
     * processes it grows as long as the wall clock does not step back by more than a restart takes.
     */
    public static long newIncarnation() {
        return LAST_INCARNATION.updateAndGet(last -> Math.max(last + 1, System.currentTimeMillis()));
    }

    /**
     * With a freshly signed record of sequence {@code sequence} listing {@code advertise}, if there is one, and boot
     * incarnation {@code incarnation}.
     */
    public static LocalPeer of(
            NodeIdentity identity, Role role, @Nullable PeerAddress advertise, long sequence, long incarnation) {
        SignedAddressRecord record = advertise == null
                ? null
                : AddressRecords.sign(identity, identity.publicKey(), identity.id(), List.of(advertise), sequence);
        return new LocalPeer(identity.id(), identity.publicKey(), role, advertise, identity, record, incarnation);
    }

    /** With a record of sequence {@code sequence} and a new boot incarnation (tests and tools). */
    public static LocalPeer of(NodeIdentity identity, Role role, @Nullable PeerAddress advertise, long sequence) {
        return of(identity, role, advertise, sequence, newIncarnation());
    }

    /** With a record signed now, its sequence the current time in milliseconds, and a new incarnation (tests). */
    public static LocalPeer of(NodeIdentity identity, Role role, @Nullable PeerAddress advertise) {
        return of(identity, role, advertise, System.currentTimeMillis());
    }

    /** The advertised address as sent in Identify (empty if none). */
    String advertiseText() {
        return advertise == null ? "" : advertise.toString();
    }
}
