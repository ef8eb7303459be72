package io.peerlink.transport.internal.handshake;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.transport.internal.PipelineNames;
import io.peerlink.transport.testing.Frames;
import io.peerlink.transport.testing.RawPeer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link HandshakeHandler} with crypto offloaded: one executor task per read, order kept, results applied. */
class HandshakeHandlerOffloadTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    final NodeIdentity local = NodeIdentity.generate();
    final NodeIdentity peer = NodeIdentity.generate();
    final InMemoryTrustRegistry trust =
            new InMemoryTrustRegistry(Map.of(local.id(), Role.VALIDATOR, peer.id(), Role.VALIDATOR));
    final RawPeer mallory = new RawPeer(peer, Role.VALIDATOR, "10.0.0.2:7000");
    /** The crypto executor: tasks wait here until the test runs them. */
    final ArrayDeque<Runnable> crypto = new ArrayDeque<>();

    final Executor executor = crypto::add;
    private final List<HandshakeChannel> channels = new ArrayList<>();

    @AfterEach
    void releaseAll() {
        channels.forEach(c -> c.channel.finishAndReleaseAll());
    }

    private HandshakeChannel side(NodeIdentity me, Direction direction) {
        HandshakeChannel c = HandshakeChannel.of(
                HandshakeChannel.machine(me, Role.VALIDATOR, direction, new Admission(trust, Role.VALIDATOR), null),
                TIMEOUT,
                executor);
        channels.add(c);
        return c;
    }

    /** Runs the queued crypto tasks, then the results they posted back to each channel's event loop. */
    private int runCrypto() {
        int n = 0;
        Runnable r;
        while ((r = crypto.poll()) != null) {
            r.run();
            n++;
        }
        channels.forEach(c -> c.channel.runPendingTasks());
        return n;
    }

    @Test
    void proofAndTheFrameBehindItTakeOneCryptoTaskAndTheFrameReachesTheNextStage() {
        HandshakeChannel responder = side(local, Direction.INBOUND);
        responder.receive(mallory.identify());
        assertThat(responder.sent()).as("nothing before the crypto task ran").isEmpty();
        assertThat(runCrypto()).isEqualTo(1);
        List<Envelope> reply = responder.sent();
        assertThat(reply)
                .extracting(Envelope::getBodyCase)
                .containsExactly(Envelope.BodyCase.IDENTIFY, Envelope.BodyCase.PROOF);

        responder.receive(mallory.initiatorProof(reply.get(0).getIdentify()), Frames.ping(7));
        assertThat(runCrypto()).isEqualTo(1);

        assertThat(responder.authenticated).isNotNull();
        assertThat(responder.authenticated.id()).isEqualTo(peer.id());
        Envelope next = responder.channel.readInbound();
        assertThat(next.hasPing()).isTrue();
        assertThat(responder.channel.pipeline().get(PipelineNames.HANDSHAKE)).isNull();
    }

    @Test
    void initiatorHandlesIdentifyAndProofOfOneReadInOneTask() {
        HandshakeChannel initiator = side(peer, Direction.OUTBOUND);
        HandshakeChannel responder = side(local, Direction.INBOUND);
        for (int round = 0; round < 8 && (initiator.waiting() || responder.waiting()); round++) {
            HandshakeChannel.interConnect(initiator, responder);
            int tasks = runCrypto();
            assertThat(tasks).as("crypto tasks in round %s", round).isLessThanOrEqualTo(1);
        }
        assertThat(initiator.authenticated).isNotNull();
        assertThat(responder.authenticated).isNotNull();
        HandshakeChannel.interConnect(initiator, responder);
        assertThat(initiator.channel.isOpen()).isTrue();
        assertThat(responder.channel.isOpen()).isTrue();
    }

    @Test
    void aFrameArrivingWhileCryptoRunsIsHandledAfterIt() {
        HandshakeChannel responder = side(local, Direction.INBOUND);
        responder.receive(mallory.identify());
        Runnable identifyTask = crypto.poll();
        assertThat(identifyTask).isNotNull();
        identifyTask.run(); // its result is posted to the event loop, not applied yet
        // a second Identify arrives meanwhile: it waits for the first result, then goes to the executor
        responder.receive(mallory.identify());
        assertThat(responder.sent())
                .extracting(Envelope::getBodyCase)
                .containsExactly(Envelope.BodyCase.IDENTIFY, Envelope.BodyCase.PROOF);
        assertThat(runCrypto()).isEqualTo(1);
        responder.assertRejected(DisconnectReason.UNEXPECTED_MESSAGE);
    }

    @Test
    void peerClosingWhileCryptoRunsReportsTheClose() {
        HandshakeChannel responder = side(local, Direction.INBOUND);
        responder.receive(mallory.identify());
        responder.channel.close();
        runCrypto();
        assertThat(responder.failed).isNotNull();
        assertThat(responder.failed.reason()).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(responder.outcomes).isEqualTo(1);
        assertThat(responder.authenticated).isNull();
        // the pipeline was torn down before the outcome: only the promise could carry it
        assertThat(responder.events()).isEmpty();
    }
}
