package io.peerlink.sim;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.manager.ConnectionManager;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.PeerExchange;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** One simulated node: its identity, its address(es), and the state of its current incarnation. */
final class SimNode {
    final int index;
    final Role role;
    final SplittableRandom random;
    final NodeId id;
    final @Nullable PeerAddress address;
    /** This boot's identity in handshakes: the boot incarnation changes at every start ({@link #boot}). */
    LocalPeer local;

    private final byte[] publicKey;
    private final io.peerlink.core.identity.Signer signer;
    private final io.peerlink.proto.v1.@Nullable SignedAddressRecord record;
    final java.security.SecureRandom secureRandom;
    final AddressRecords.@Nullable Verified verified;
    final SimTrust trustRegistry = new SimTrust();
    final TreeMap<Long, Sock> sockets = new TreeMap<>();
    NodeConfig config;
    Map<NodeId, Role> trustView = Map.of();
    long trustVersionSeen;
    boolean alive;
    int incarnation;
    /** Virtual time of the latest start and kill (-1: never). */
    long bootedAt = -1;

    long killedAt = -1;

    @Nullable
    ConnectionManager manager;

    @Nullable
    Admission admission;

    @Nullable
    List<PeerExchange.Known> lastKnown;

    Simulation.@Nullable PexMessage lastAnswer;

    SimNode(int index, Role role, SplittableRandom random, NodeConfig config) {
        this.index = index;
        this.role = role;
        this.random = random;
        byte[] publicKey = new byte[32];
        random.nextBytes(publicKey);
        this.publicKey = publicKey;
        this.id = NodeId.fromPublicKey(publicKey);
        this.address = role.isValidator() ? new PeerAddress("v" + index, 7000) : null;
        this.secureRandom = TestCrypto.secureRandom(random.split());
        this.signer = TestCrypto.signer(publicKey);
        this.record = address == null ? null : AddressRecords.sign(signer, publicKey, id, List.of(address, alias()), 1);
        this.local = new LocalPeer(id, publicKey, role, address, signer, record, 0);
        try {
            this.verified = record == null ? null : AddressRecords.verify(record, TestCrypto.VERIFIER);
        } catch (AddressRecords.InvalidRecordException e) {
            throw new IllegalStateException(e);
        }
        this.config = config;
    }

    /**
     * A new boot: the incarnation is the virtual boot time in milliseconds plus one (growing, never 0), as
     * {@code LocalPeer.newIncarnation()} takes the wall clock.
     */
    void boot(long nowNanos) {
        long incarnation = nowNanos / 1_000_000L + 1;
        this.local = new LocalPeer(id, publicKey, role, address, signer, record, incarnation);
    }

    /** A second name of a validator (its record lists both; some seeds use it). */
    PeerAddress alias() {
        return new PeerAddress("v" + index + "-alt", 7000);
    }

    String host() {
        return (role.isValidator() ? "v" : "o") + index;
    }

    @Override
    public String toString() {
        return role.name().toLowerCase(java.util.Locale.ROOT) + "#" + index;
    }
}
