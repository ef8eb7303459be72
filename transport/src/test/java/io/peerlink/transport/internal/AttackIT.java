package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.Timeouts;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.testing.Frames;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks on a real node over loopback, each by a hand-rolled client that writes frames built from the proto
 * classes and signs real transcripts: the node answers each with the right {@code Disconnect} and reports it.
 * Connection floods are in {@link FloodIT}.
 */
class AttackIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    final TestNet net = new TestNet();
    final CountingObserver observer = new CountingObserver();
    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        net.close();
    }

    Network target(NodeConfig.Builder config) {
        NodeIdentity id = net.identity(Role.VALIDATOR);
        Network n = new Network(
                id, net.trust, config.build(), NetworkOptions.defaults().withIoThreads(1), observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(events::add);
        return n;
    }

    Network target() {
        return target(TestNet.config(Role.VALIDATOR));
    }

    RawClient connect(Network target) {
        RawClient c = RawClient.connect(target.boundAddress());
        closeables.add(c);
        return c;
    }

    /** A trusted insider with its own key, playing by its own rules. */
    RawPeer mallory(Role role) {
        return new RawPeer(net.identity(role), role, "");
    }

    void assertRejected(DisconnectReason reason, @Nullable NodeId claimed) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                            assertThat(r.reason()).isEqualTo(reason);
                            assertThat(r.byPeer()).isFalse();
                            assertThat(r.peer()).isEqualTo(claimed);
                        })));
        assertThat(observer.handshakesFailed(reason)).isPositive();
    }

    /** The target's first flight to a dialing client: its Identify and its Proof. */
    static List<Envelope> answer(RawClient client) {
        Envelope identify = client.read(WAIT);
        Envelope proof = client.read(WAIT);
        assertThat(identify.hasIdentify()).isTrue();
        assertThat(proof.hasProof()).isTrue();
        return List.of(identify, proof);
    }

    @Test
    void proofReplayedFromAnEarlierConnectionIsRejected() {
        Network target = target();
        RawPeer mallory = mallory(Role.OBSERVER); // keeps the same challenge on every connection

        Envelope recorded;
        ByteString firstChallenge;
        try (RawClient first = connect(target)) {
            first.send(mallory.identify());
            Identify theirs = answer(first).get(0).getIdentify();
            firstChallenge = theirs.getChallenge();
            recorded = mallory.initiatorProof(theirs);
            first.send(recorded);
            await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(mallory.id()));
        }

        RawClient second = connect(target);
        second.send(mallory.identify());
        Identify fresh = answer(second).get(0).getIdentify();
        assertThat(fresh.getChallenge()).as("a fresh challenge").isNotEqualTo(firstChallenge);
        second.send(recorded);

        assertThat(second.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.BAD_SIGNATURE);
        assertThat(second.awaitClosed(WAIT)).isTrue();
        assertRejected(DisconnectReason.BAD_SIGNATURE, mallory.id());
    }

    @Test
    void proofRelayedByAManInTheMiddleIsRejected() throws Exception {
        Network a = target();
        Network b = net.start(Role.VALIDATOR, List.of());
        NodeIdentity m = net.identity(Role.OBSERVER); // an insider: b admits it under its own name
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a believes it dials b at m's address
            CompletableFuture<Connection> dial = a.dial(new PeerAddress("127.0.0.1", listener.getLocalPort()))
                    .toFuture();
            RawClient fromA = RawClient.accept(listener, WAIT);
            closeables.add(fromA);
            Identify aHello = fromA.read(WAIT).getIdentify();

            // m hands a's challenge to b as its own, and b signs a transcript naming m
            RawClient toB = connect(b);
            toB.send(new RawPeer(m, Role.OBSERVER, "", aHello.getChallenge().toByteArray()).identify());
            List<Envelope> bAnswer = answer(toB);

            // ... which m forwards to a, posing as b
            fromA.send(bAnswer);

            assertThat(fromA.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.BAD_SIGNATURE);
            assertRejected(DisconnectReason.BAD_SIGNATURE, b.id());
            assertThat(failureOf(dial)).isEqualTo(DisconnectReason.BAD_SIGNATURE);
            assertThat(TestNet.peerIds(a)).doesNotContain(b.id());
        }
    }

    @Test
    void challengeReflectedToItsSenderIsRejected() throws Exception {
        Network target = target();
        RawPeer mallory = mallory(Role.VALIDATOR);
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Connection> dial = target.dial(new PeerAddress("127.0.0.1", listener.getLocalPort()))
                    .toFuture();
            RawClient fromTarget = RawClient.accept(listener, WAIT);
            closeables.add(fromTarget);
            Identify hello = fromTarget.read(WAIT).getIdentify();

            fromTarget.send(RawPeer.wrap(mallory.identifyBuilder().setChallenge(hello.getChallenge())));

            assertThat(fromTarget.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.BAD_CHALLENGE);
            assertRejected(DisconnectReason.BAD_CHALLENGE, mallory.id());
            assertThat(failureOf(dial)).isEqualTo(DisconnectReason.BAD_CHALLENGE);
        }
    }

    @Test
    void claimedIdNotMatchingTheKeyIsRejected() {
        Network target = target();
        NodeIdentity victim = net.identity(Role.VALIDATOR);
        RawPeer mallory = mallory(Role.VALIDATOR);
        RawClient client = connect(target);

        // the victim's id with mallory's key, so that mallory could sign
        client.send(RawPeer.wrap(mallory.identifyBuilder()
                .setNodeId(ByteString.copyFrom(victim.id().toBytes()))));

        assertThat(client.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.ID_MISMATCH);
        assertRejected(DisconnectReason.ID_MISMATCH, null);
    }

    @Test
    void revokedKeyIsRejected() {
        Network target = target();
        RawPeer mallory = mallory(Role.VALIDATOR);
        net.trust.revoke(mallory.id());
        RawClient client = connect(target);

        client.send(mallory.identify());

        assertThat(client.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.REVOKED);
        assertRejected(DisconnectReason.REVOKED, mallory.id());
    }

    @Test
    void unknownKeyIsRejected() {
        Network target = target();
        RawPeer stranger = new RawPeer(NodeIdentity.generate(), Role.VALIDATOR, "");
        RawClient client = connect(target);

        client.send(stranger.identify());

        assertThat(client.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.UNKNOWN_PEER);
        assertRejected(DisconnectReason.UNKNOWN_PEER, stranger.id());
    }

    @Test
    void otherProtocolVersionIsRejected() {
        Network target = target();
        RawPeer mallory = mallory(Role.VALIDATOR);
        RawClient client = connect(target);

        client.send(RawPeer.wrap(mallory.identifyBuilder().setProtocolVersion(Defaults.PROTOCOL_VERSION + 1)));

        assertThat(client.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.PROTOCOL_VERSION);
        assertRejected(DisconnectReason.PROTOCOL_VERSION, null);
    }

    @Test
    void oversizedFrameIsRefusedOnItsLengthPrefix() {
        Network target = target();
        RawClient client = connect(target);

        // only the prefix: the node must not wait for (or buffer) the payload
        client.sendBytes(Frames.varint(Defaults.HANDSHAKE_FRAME_BYTES + 1));

        assertThat(client.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.FRAME_TOO_LARGE);
        assertThat(client.awaitClosed(WAIT)).isTrue();
        assertRejected(DisconnectReason.FRAME_TOO_LARGE, null);
    }

    @Test
    void slowlorisIsCutOffAtTheFixedHandshakeDeadline() {
        Duration deadline = Duration.ofSeconds(1);
        Network target = target(TestNet.config(Role.VALIDATOR)
                .timeouts(new Timeouts(deadline, Duration.ofSeconds(3), Duration.ofSeconds(5))));
        byte[] hello = Frames.encode(mallory(Role.VALIDATOR).identify());
        RawClient client = connect(target);
        long start = System.nanoTime();

        // one byte every 200 ms (the poll is the pause); bounded: 30 bytes would take 6 s
        Envelope answer = null;
        int sent = 0;
        while (answer == null && sent < 30 && client.trySendByte(hello[sent])) {
            sent++;
            answer = client.poll(Duration.ofMillis(200));
        }
        long elapsed = System.nanoTime() - start;

        assertThat(answer)
                .as("the node answered while bytes were still trickling in")
                .isNotNull();
        assertThat(Frames.reasonOf(answer)).isEqualTo(DisconnectReason.HANDSHAKE_TIMEOUT);
        assertThat(sent).isLessThan(hello.length);
        assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(deadline);
        assertThat(client.awaitClosed(WAIT)).isTrue();
        assertRejected(DisconnectReason.HANDSHAKE_TIMEOUT, null);
    }

    @Test
    void tooManyPendingHandshakesAreRefusedWithLimits() {
        Network target =
                target(TestNet.config(Role.VALIDATOR).limits(Limits.defaults().withMaxPendingHandshakes(1)));
        RawClient first = connect(target);
        first.send(mallory(Role.VALIDATOR).identify());
        answer(first); // the only pending slot is taken

        RawClient second = connect(target);

        assertThat(second.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.TOO_MANY_CONNECTIONS);
        assertThat(second.awaitClosed(WAIT)).isTrue();
        assertThat(observer.refusals("max_pending_handshakes")).isEqualTo(1);
    }

    static DisconnectReason failureOf(CompletableFuture<?> dial) {
        try {
            dial.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PeerlinkException.class);
            return ((PeerlinkException) e.getCause()).reason();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("the dial succeeded");
    }
}
