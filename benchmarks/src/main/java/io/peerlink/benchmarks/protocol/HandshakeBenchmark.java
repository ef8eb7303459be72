package io.peerlink.benchmarks.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import io.peerlink.benchmarks.AbstractBenchmark;
import io.peerlink.benchmarks.crypto.HandshakeCrypto;
import io.peerlink.core.Direction;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.Ed25519;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.identity.Verifier;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.protocol.handshake.PeerInfo;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.protocol.handshake.Transcript;
import io.peerlink.protocol.wire.Wire;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * One complete mutual handshake per operation between two in-memory {@link Handshake} machines with real Ed25519,
 * against a baseline of the same 2 signs + 2 verifies alone, so the ratio is the machine's overhead beyond crypto.
 *
 * <p>{@code handshake} hands the {@code Envelope} objects across; {@code handshakeSerialized} also runs each one
 * through {@code toByteArray()}/{@code parseFrom}, as a socket would. Each operation builds two fresh machines
 * (each draws its 32-byte challenge from a {@link SecureRandom}) and both end in {@link Step.Accept}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HandshakeBenchmark
 * }</pre>
 */
public class HandshakeBenchmark extends AbstractBenchmark {
    private static final PeerAddress INITIATOR_ADDRESS = PeerAddress.parse("10.0.0.1:7000");
    private static final PeerAddress RESPONDER_ADDRESS = PeerAddress.parse("10.0.0.2:7000");

    private final SecureRandom random = new SecureRandom();
    private final HandshakeSettings settings = HandshakeSettings.defaults();
    private final byte[] initiatorKey = Ed25519.generatePrivateKey(random);
    private final byte[] responderKey = Ed25519.generatePrivateKey(random);
    private final LocalPeer initiator =
            LocalPeer.of(NodeIdentity.fromPrivateKey(initiatorKey), Role.VALIDATOR, INITIATOR_ADDRESS);
    private final LocalPeer responder =
            LocalPeer.of(NodeIdentity.fromPrivateKey(responderKey), Role.VALIDATOR, RESPONDER_ADDRESS);
    private final InMemoryTrustRegistry trust =
            new InMemoryTrustRegistry(Map.of(initiator.id(), Role.VALIDATOR, responder.id(), Role.VALIDATOR));
    private final Admission initiatorAdmission = new Admission(trust, Role.VALIDATOR);
    private final Admission responderAdmission = new Admission(trust, Role.VALIDATOR);
    private final HandshakeCrypto crypto = new HandshakeCrypto(
            initiatorKey,
            responderKey,
            transcript(Transcript.INITIATOR_PROOF, initiator.id(), responder.id()),
            transcript(Transcript.RESPONDER_PROOF, initiator.id(), responder.id()));

    @Setup
    public void setUp() throws InvalidProtocolBufferException {
        if (!handshake().id().equals(responder.id())
                || !handshakeSerialized().id().equals(responder.id())
                || !baseline()) {
            throw new IllegalStateException("the benchmark handshake does not authenticate");
        }
    }

    /** Initiator start, responder onMessage, initiator onMessage ×2, responder onMessage. */
    @Benchmark
    public PeerInfo handshake() throws InvalidProtocolBufferException {
        return run(false);
    }

    /** As {@link #handshake()}, with every message serialized and parsed on its way across. */
    @Benchmark
    public PeerInfo handshakeSerialized() throws InvalidProtocolBufferException {
        return run(true);
    }

    /** The 2 signs + 2 verifies of one handshake, over transcripts of the same length, and nothing else. */
    @Benchmark
    public boolean baseline() {
        return crypto.run();
    }

    private PeerInfo run(boolean serialize) throws InvalidProtocolBufferException {
        Handshake dialer = new Handshake(
                initiator, Direction.OUTBOUND, initiatorAdmission, Verifier.ED25519, settings, random, responder.id());
        Handshake acceptor = new Handshake(
                responder, Direction.INBOUND, responderAdmission, Verifier.ED25519, settings, random, null);
        List<Envelope> identify = sent(dialer.start());
        sent(acceptor.start());
        List<Envelope> identifyAndProof = sent(acceptor.onMessage(cross(identify.get(0), serialize)));
        sent(dialer.onMessage(cross(identifyAndProof.get(0), serialize)));
        Step.Accept dialerDone = accepted(dialer.onMessage(cross(identifyAndProof.get(1), serialize)));
        Step.Accept acceptorDone =
                accepted(acceptor.onMessage(cross(dialerDone.messages().get(0), serialize)));
        if (!acceptorDone.peer().id().equals(initiator.id())) {
            throw new IllegalStateException(
                    "acceptor authenticated " + acceptorDone.peer().id());
        }
        return dialerDone.peer();
    }

    private static Envelope cross(Envelope message, boolean serialize) throws InvalidProtocolBufferException {
        return serialize ? Envelope.parseFrom(message.toByteArray()) : message;
    }

    private static List<Envelope> sent(Step step) {
        if (step instanceof Step.Send send) {
            return send.messages();
        }
        throw new IllegalStateException("expected Send, got " + step);
    }

    private static Step.Accept accepted(Step step) {
        if (step instanceof Step.Accept accept) {
            return accept;
        }
        throw new IllegalStateException("expected Accept, got " + step);
    }

    private byte[] transcript(byte purpose, NodeId initiatorId, NodeId responderId) {
        byte[] initiatorChallenge = new byte[settings.challengeBytes()];
        byte[] responderChallenge = new byte[settings.challengeBytes()];
        random.nextBytes(initiatorChallenge);
        random.nextBytes(responderChallenge);
        int role = Wire.toWire(Role.VALIDATOR).getNumber();
        return Transcript.bytes(
                purpose,
                new Transcript.Parties(
                        initiatorChallenge,
                        responderChallenge,
                        initiatorId,
                        responderId,
                        role,
                        role,
                        INITIATOR_ADDRESS.toString(),
                        RESPONDER_ADDRESS.toString(),
                        new byte[0]));
    }
}
