package io.peerlink.transport.testing;

import com.google.protobuf.ByteString;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.Proof;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.handshake.Transcript;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.wire.Wire;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A hand-rolled handshake participant: it builds its own {@code Identify} and signs real transcripts with
 * {@link Transcript}, so tests can send valid, altered, replayed or relayed messages in any order.
 *
 * <pre>{@code
 * RawPeer mallory = new RawPeer(NodeIdentity.generate(), Role.OBSERVER, "");
 * client.send(mallory.identify());
 * Identify theirs = client.read(timeout).getIdentify();
 * client.send(mallory.initiatorProof(theirs));
 * }</pre>
 */
public final class RawPeer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] NO_CHANNEL_BINDING = new byte[0];

    private final NodeIdentity identity;
    private final Role role;
    private final String listenAddress;
    private final byte[] challenge;
    private final long sequence = System.currentTimeMillis();
    /** This peer's boot incarnation, sent in Identify and signed like a real node's. */
    private final long incarnation = sequence;

    private final @Nullable SignedAddressRecord record;

    public RawPeer(NodeIdentity identity, Role role, String listenAddress) {
        this(identity, role, listenAddress, fresh());
    }

    public RawPeer(NodeIdentity identity, Role role, String listenAddress, byte[] challenge) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.role = Objects.requireNonNull(role, "role");
        this.listenAddress = Objects.requireNonNull(listenAddress, "listenAddress");
        this.challenge = challenge.clone();
        // signed once, here: a test builds its peers before it connects, so the (JIT-cold) signature never eats
        // into the target's handshake deadline
        PeerAddress listen = Wire.address(listenAddress);
        this.record = listen == null
                ? null
                : AddressRecords.sign(identity, identity.publicKey(), identity.id(), List.of(listen), sequence);
    }

    private static byte[] fresh() {
        byte[] c = new byte[Defaults.CHALLENGE_BYTES];
        RANDOM.nextBytes(c);
        return c;
    }

    public NodeIdentity identity() {
        return identity;
    }

    public NodeId id() {
        return identity.id();
    }

    public byte[] challenge() {
        return challenge.clone();
    }

    /** This peer's own signed address record (null without a listen address). */
    public @Nullable SignedAddressRecord record() {
        return record;
    }

    /** A valid Identify (with the own record when there is a listen address), to be altered by the test. */
    public Identify.Builder identifyBuilder() {
        SignedAddressRecord record = record();
        Identify.Builder b = Identify.newBuilder()
                .setProtocolVersion(Defaults.PROTOCOL_VERSION)
                .setPublicKey(ByteString.copyFrom(identity.publicKey()))
                .setNodeId(ByteString.copyFrom(identity.id().toBytes()))
                .setRole(Wire.toWire(role))
                .setListenAddress(listenAddress)
                .setChallenge(ByteString.copyFrom(challenge))
                .setIncarnation(incarnation);
        return record == null ? b : b.setAddressRecord(record);
    }

    public Envelope identify() {
        return wrap(identifyBuilder());
    }

    public static Envelope wrap(Identify.Builder identify) {
        return Envelope.newBuilder().setIdentify(identify).build();
    }

    public static Envelope proof(byte[] signature) {
        return Envelope.newBuilder()
                .setProof(Proof.newBuilder().setSignature(ByteString.copyFrom(signature)))
                .build();
    }

    /** This peer's proof as the initiator (it dialed) of a handshake whose responder sent {@code responder}. */
    public Envelope initiatorProof(Identify responder) {
        return proof(identity.sign(Transcript.bytes(Transcript.INITIATOR_PROOF, asInitiator(responder))));
    }

    /**
     * This peer's proof as the initiator over a TLS link whose transcript carries {@code channelBinding}
     * ({@link Transcript#tlsBinding} of the certificates this peer saw).
     */
    public Envelope initiatorProof(Identify responder, byte[] channelBinding) {
        Transcript.Parties p = asInitiator(responder);
        return proof(identity.sign(Transcript.bytes(
                Transcript.INITIATOR_PROOF,
                new Transcript.Parties(
                        p.initiatorChallenge(),
                        p.responderChallenge(),
                        p.initiator(),
                        p.responder(),
                        p.initiatorRole(),
                        p.responderRole(),
                        p.initiatorAddress(),
                        p.responderAddress(),
                        p.initiatorIncarnation(),
                        p.responderIncarnation(),
                        channelBinding))));
    }

    /** This peer's proof as the responder (it accepted) of a handshake whose initiator sent {@code initiator}. */
    public Envelope responderProof(Identify initiator) {
        return proof(identity.sign(Transcript.bytes(Transcript.RESPONDER_PROOF, asResponder(initiator))));
    }

    private Transcript.Parties asInitiator(Identify responder) {
        return new Transcript.Parties(
                challenge,
                responder.getChallenge().toByteArray(),
                identity.id(),
                NodeId.of(responder.getNodeId().toByteArray()),
                Wire.toWire(role).getNumber(),
                responder.getRoleValue(),
                listenAddress,
                responder.getListenAddress(),
                incarnation,
                responder.getIncarnation(),
                NO_CHANNEL_BINDING);
    }

    private Transcript.Parties asResponder(Identify initiator) {
        return new Transcript.Parties(
                initiator.getChallenge().toByteArray(),
                challenge,
                NodeId.of(initiator.getNodeId().toByteArray()),
                identity.id(),
                initiator.getRoleValue(),
                Wire.toWire(role).getNumber(),
                initiator.getListenAddress(),
                listenAddress,
                initiator.getIncarnation(),
                incarnation,
                NO_CHANNEL_BINDING);
    }
}
