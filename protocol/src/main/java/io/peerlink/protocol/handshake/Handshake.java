package io.peerlink.protocol.handshake;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.HandshakeException;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.Ed25519;
import io.peerlink.core.identity.Verifier;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.proto.v1.Proof;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.wire.Wire;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One side of one handshake: identify, then mutual challenge-response, in 1.5 round trips.
 *
 * <pre>
 *  initiator (dialer)                         responder (acceptor)
 *  Identify{id, key, role, addr, cI}  ──────▶
 *                                     ◀──────  Identify{id, key, role, addr, cR} + Proof{sign(R-transcript)}
 *  Proof{sign(I-transcript)}          ──────▶
 *  authenticated                               authenticated
 * </pre>
 *
 * <p>Not thread-safe: the caller feeds it one input at a time (it may hand calls to a crypto executor as long as
 * they stay serialized). No Netty, no Reactor: inputs are messages and a timeout, outputs are {@link Step}s.
 *
 * <pre>{@code
 * Handshake hs = new Handshake(me, Direction.OUTBOUND, admission, Verifier.ED25519, settings, random, null);
 * Step first = hs.start();
 * Step next = hs.onMessage(envelope);
 * }</pre>
 */
public final class Handshake {

    /** Where the handshake is. */
    public enum State {
        START,
        AWAIT_IDENTIFY,
        AWAIT_PROOF,
        AUTHENTICATED,
        CLOSED
    }

    private static final byte[] NO_CHANNEL_BINDING = new byte[0];

    private final LocalPeer local;
    private final Direction direction;
    private final Admission admission;
    private final Verifier verifier;
    private final HandshakeSettings settings;
    private final SecureRandom random;
    private final @Nullable NodeId expectedPeer;

    private State state = State.START;
    private final byte[] ownChallenge;
    private @Nullable Identify remote;
    private @Nullable NodeId remoteId;
    private @Nullable Role remoteRole;
    private byte[] channelBinding = NO_CHANNEL_BINDING;
    private byte @Nullable [] transportPeerKey;

    /**
     * @param direction {@code OUTBOUND} if this side dialed (and so initiates)
     * @param expectedPeer the node id this side meant to dial, if known; another id is refused
     */
    public Handshake(
            LocalPeer local,
            Direction direction,
            Admission admission,
            Verifier verifier,
            HandshakeSettings settings,
            SecureRandom random,
            @Nullable NodeId expectedPeer) {
        this.local = Objects.requireNonNull(local, "local");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.expectedPeer = expectedPeer;
        this.ownChallenge = new byte[settings.challengeBytes()];
        random.nextBytes(ownChallenge);
    }

    public State state() {
        return state;
    }

    public Direction direction() {
        return direction;
    }

    /** The id the peer claimed in its Identify, once received (proven only when authenticated). */
    public @Nullable NodeId claimedPeer() {
        return remoteId;
    }

    /**
     * The link is secured by mutual TLS whose peer certificate is bound to the identity key {@code peerKey}: the
     * peer's Identify must claim that same key, and both proofs sign the SHA-256 of both certificates
     * ({@link Transcript#tlsBinding}, ordered initiator first), so a proof made in one TLS session never verifies in
     * another, nor on a plaintext link. Call before {@link #start()}.
     *
     * @param localCertificate this side's certificate as sent in the TLS handshake (DER)
     * @param peerCertificate the peer's certificate as received (DER)
     */
    public void onTransportSecured(byte[] peerKey, byte[] localCertificate, byte[] peerCertificate) {
        this.transportPeerKey = peerKey.clone();
        this.channelBinding = direction == Direction.OUTBOUND
                ? Transcript.tlsBinding(localCertificate, peerCertificate)
                : Transcript.tlsBinding(peerCertificate, localCertificate);
    }

    /** Starts the handshake: the initiator sends its Identify, the responder waits for one. */
    public Step start() {
        if (state != State.START) {
            return reject(new HandshakeException(DisconnectReason.INTERNAL_ERROR, "handshake started twice"));
        }
        state = State.AWAIT_IDENTIFY;
        if (direction == Direction.OUTBOUND) {
            return new Step.Send(List.of(identifyEnvelope()));
        }
        return Step.Send.NOTHING;
    }

    /** The fixed handshake deadline passed. */
    public Step onTimeout() {
        if (state == State.AUTHENTICATED || state == State.CLOSED) {
            return Step.Send.NOTHING;
        }
        return reject(new HandshakeException(
                DisconnectReason.HANDSHAKE_TIMEOUT, "no authentication within the deadline (state " + state + ")"));
    }

    /** A frame that could not be decoded or was too large. */
    public Step onBadFrame(DisconnectReason reason, String detail) {
        return reject(new HandshakeException(reason, detail));
    }

    /** Feeds one received message. */
    public Step onMessage(Envelope message) {
        if (state == State.CLOSED || state == State.AUTHENTICATED) {
            return reject(new HandshakeException(
                    DisconnectReason.UNEXPECTED_MESSAGE,
                    message.getBodyCase() + " after the handshake " + (state == State.CLOSED ? "failed" : "ended")));
        }
        try {
            switch (message.getBodyCase()) {
                case DISCONNECT -> {
                    state = State.CLOSED;
                    DisconnectReason reason =
                            DisconnectReason.fromCode(message.getDisconnect().getReason());
                    return new Step.Reject(reason, message.getDisconnect().getDetail(), true, remoteId);
                }
                case IDENTIFY -> {
                    return onIdentify(message.getIdentify());
                }
                case PROOF -> {
                    return onProof(message.getProof());
                }
                default ->
                    throw new HandshakeException(
                            DisconnectReason.UNEXPECTED_MESSAGE,
                            describe(message) + " is not allowed during the handshake (state " + state + ")");
            }
        } catch (HandshakeException e) {
            return reject(e);
        }
    }

    private Step onIdentify(Identify identify) {
        if (state != State.AWAIT_IDENTIFY) {
            throw new HandshakeException(DisconnectReason.UNEXPECTED_MESSAGE, "second Identify (state " + state + ")");
        }
        if (identify.getProtocolVersion() != settings.protocolVersion()) {
            throw new HandshakeException(
                    DisconnectReason.PROTOCOL_VERSION,
                    "peer speaks version " + identify.getProtocolVersion() + ", this node speaks "
                            + settings.protocolVersion());
        }
        byte[] key = identify.getPublicKey().toByteArray();
        if (key.length != Ed25519.PUBLIC_KEY_BYTES) {
            throw new HandshakeException(
                    DisconnectReason.MALFORMED_FRAME, "public key of " + key.length + " bytes (expected: 32)");
        }
        if (transportPeerKey != null && !Arrays.equals(transportPeerKey, key)) {
            throw new HandshakeException(
                    DisconnectReason.ID_MISMATCH, "the TLS certificate key is not the key of the claimed identity");
        }
        NodeId derived = NodeId.fromPublicKey(key);
        if (!derived.matches(identify.getNodeId().toByteArray())) {
            throw new HandshakeException(
                    DisconnectReason.ID_MISMATCH,
                    "claimed id does not match the public key, which belongs to " + derived);
        }
        remoteId = derived;
        if (derived.equals(local.id())) {
            throw new HandshakeException(DisconnectReason.SELF_CONNECTION, "peer has this node's own id");
        }
        if (expectedPeer != null && !expectedPeer.equals(derived)) {
            throw new HandshakeException(
                    DisconnectReason.UNEXPECTED_PEER, "dialed " + expectedPeer + " but " + derived + " answered");
        }
        int challengeLength = identify.getChallenge().size();
        if (challengeLength < HandshakeSettings.MIN_CHALLENGE_BYTES
                || challengeLength > HandshakeSettings.MAX_CHALLENGE_BYTES) {
            throw new HandshakeException(
                    DisconnectReason.BAD_CHALLENGE, "challenge of " + challengeLength + " bytes (expected: 16..64)");
        }
        if (Arrays.equals(identify.getChallenge().toByteArray(), ownChallenge)) {
            throw new HandshakeException(DisconnectReason.BAD_CHALLENGE, "peer reflected this node's challenge");
        }
        // the transcript holds the address as u8 length + UTF-8, so bound the encoded bytes, not the chars
        if (identify.getListenAddressBytes().size() > HandshakeSettings.MAX_ADDRESS_BYTES) {
            throw new HandshakeException(
                    DisconnectReason.MALFORMED_FRAME,
                    "listen address of " + identify.getListenAddressBytes().size() + " UTF-8 bytes (expected: <= 255)");
        }
        Role claimed = Wire.fromWire(identify.getRole());
        if (claimed == null) {
            throw new HandshakeException(DisconnectReason.ROLE_NOT_ALLOWED, "unknown role " + identify.getRoleValue());
        }
        remoteRole = admission.admit(derived, claimed, direction);
        remote = identify;
        state = State.AWAIT_PROOF;
        if (direction == Direction.INBOUND) {
            // responder: identify and prove in one flight (the 1 of 1.5 round trips)
            Envelope proof = proofEnvelope(Transcript.RESPONDER_PROOF);
            return new Step.Send(List.of(identifyEnvelope(), proof));
        }
        return Step.Send.NOTHING;
    }

    private Step onProof(Proof proof) {
        if (state != State.AWAIT_PROOF) {
            throw new HandshakeException(DisconnectReason.UNEXPECTED_MESSAGE, "Proof before Identify");
        }
        Identify peer = Objects.requireNonNull(remote);
        byte purpose = direction == Direction.OUTBOUND ? Transcript.RESPONDER_PROOF : Transcript.INITIATOR_PROOF;
        byte[] signed = Transcript.bytes(purpose, parties(peer));
        if (!verifier.verify(
                peer.getPublicKey().toByteArray(), signed, proof.getSignature().toByteArray())) {
            throw new HandshakeException(DisconnectReason.BAD_SIGNATURE, "proof from " + remoteId + " does not verify");
        }
        // the registry may have changed during the round trip since Identify (revoked or role changed)
        admission.admit(Objects.requireNonNull(remoteId), Objects.requireNonNull(remoteRole), direction);
        PeerAddress listen = Wire.address(peer.getListenAddress());
        AddressRecords.Verified record =
                Objects.requireNonNull(remoteRole).isValidator() ? ownRecord(peer, listen) : null;
        state = State.AUTHENTICATED;
        PeerInfo info = new PeerInfo(
                Objects.requireNonNull(remoteId),
                Objects.requireNonNull(remoteRole),
                listen,
                record,
                peer.getIncarnation(),
                Transcript.linkId(parties(peer)));
        List<Envelope> send =
                direction == Direction.OUTBOUND ? List.of(proofEnvelope(Transcript.INITIATOR_PROOF)) : List.of();
        return new Step.Accept(info, send);
    }

    /**
     * The authenticated validator's own signed address record: signed by the key it just proved, about its id, and
     * listing the address it advertised (the address it proved here, which relayed records never replace). Only
     * validators' records are read (only they are relayed), so gateways and observers cost no extra verification.
     */
    private AddressRecords.@Nullable Verified ownRecord(Identify peer, @Nullable PeerAddress listen) {
        if (!peer.hasAddressRecord()) {
            if (listen != null && listen.port() != 0) {
                throw new HandshakeException(
                        DisconnectReason.MALFORMED_FRAME,
                        "validator advertises " + listen + " without its signed address record");
            }
            return null;
        }
        AddressRecords.Verified record;
        try {
            record = AddressRecords.verify(peer.getAddressRecord(), verifier);
        } catch (AddressRecords.InvalidRecordException e) {
            DisconnectReason reason = switch (e.problem()) {
                case BAD_SIGNATURE -> DisconnectReason.BAD_SIGNATURE;
                case KEY_MISMATCH -> DisconnectReason.ID_MISMATCH;
                case MALFORMED -> DisconnectReason.MALFORMED_FRAME;
            };
            throw new HandshakeException(reason, "own address record: " + e.getMessage());
        }
        if (!java.util.Objects.equals(record.id(), remoteId)) {
            throw new HandshakeException(
                    DisconnectReason.ID_MISMATCH, "own address record is about " + record.id() + ", not " + remoteId);
        }
        if (listen != null && !record.addresses().contains(listen)) {
            throw new HandshakeException(
                    DisconnectReason.MALFORMED_FRAME,
                    "own address record does not list the advertised address " + listen);
        }
        return record;
    }

    private Envelope identifyEnvelope() {
        Envelope.Builder identify = Envelope.newBuilder()
                .setIdentify(Identify.newBuilder()
                        .setProtocolVersion(settings.protocolVersion())
                        .setPublicKey(com.google.protobuf.ByteString.copyFrom(local.publicKey()))
                        .setNodeId(com.google.protobuf.ByteString.copyFrom(
                                local.id().toBytes()))
                        .setRole(Wire.toWire(local.role()))
                        .setListenAddress(local.advertiseText())
                        .setChallenge(com.google.protobuf.ByteString.copyFrom(ownChallenge))
                        .setIncarnation(local.incarnation()));
        if (local.record() != null) {
            identify.getIdentifyBuilder().setAddressRecord(local.record());
        }
        return identify.build();
    }

    private Envelope proofEnvelope(byte purpose) {
        byte[] signature = local.signer().sign(Transcript.bytes(purpose, parties(Objects.requireNonNull(remote))));
        return Envelope.newBuilder()
                .setProof(Proof.newBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(signature)))
                .build();
    }

    private Transcript.Parties parties(Identify peer) {
        byte[] peerChallenge = peer.getChallenge().toByteArray();
        NodeId peerId = Objects.requireNonNull(remoteId);
        int localRole = Wire.toWire(local.role()).getNumber();
        if (direction == Direction.OUTBOUND) {
            return new Transcript.Parties(
                    ownChallenge,
                    peerChallenge,
                    local.id(),
                    peerId,
                    localRole,
                    peer.getRoleValue(),
                    local.advertiseText(),
                    peer.getListenAddress(),
                    local.incarnation(),
                    peer.getIncarnation(),
                    channelBinding);
        }
        return new Transcript.Parties(
                peerChallenge,
                ownChallenge,
                peerId,
                local.id(),
                peer.getRoleValue(),
                localRole,
                peer.getListenAddress(),
                local.advertiseText(),
                peer.getIncarnation(),
                local.incarnation(),
                channelBinding);
    }

    private Step reject(HandshakeException e) {
        state = State.CLOSED;
        return new Step.Reject(e.reason(), e.detail(), false, remoteId);
    }

    private static String describe(Envelope message) {
        return message.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET
                ? "a message of unknown kind"
                : message.getBodyCase().name();
    }
}
