package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerExplanation;
import io.peerlink.core.PeerExplanation.Source;
import io.peerlink.core.PeerExplanation.State;
import io.peerlink.core.Role;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.config.Timeouts;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observers learn validators by peer exchange, stay attached to {@code attach-to} of them and fail over when one
 * crashes; {@code explain} says why each validator is or is not linked, and {@code clearBackoff} ends a backoff.
 */
class AttachIT {
    private static final Logger log = LoggerFactory.getLogger(AttachIT.class);
    static final Duration WAIT = Duration.ofSeconds(15);

    final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    List<Network> threeValidators() {
        Network v0 = net.start(Role.VALIDATOR, List.of());
        Network v1 = net.start(Role.VALIDATOR, List.of(v0.boundAddress()));
        Network v2 = net.start(Role.VALIDATOR, List.of(v0.boundAddress()));
        await().atMost(WAIT)
                .until(() -> v0.peers().size() == 2
                        && v1.peers().size() == 2
                        && v2.peers().size() == 2);
        return List.of(v0, v1, v2);
    }

    Network observer(PeerAddress seed, int attachTo, DialPolicy dial) {
        return net.start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER)
                        .seeds(List.of(seed))
                        .dial(dial)
                        .pexInterval(Duration.ofSeconds(1))
                        .build(),
                NetworkOptions.defaults().withIoThreads(1).withAttachTo(attachTo));
    }

    static PeerExplanation explain(Network n, NodeId id) {
        return n.explain(id).orElseThrow(() -> new AssertionError(n.id() + " knows nothing of " + id));
    }

    @Test
    void aSeedThatIsDownDoesNotCountAsAttached() {
        List<Network> v = threeValidators();
        // a second seed where nothing listens any more: its dial retries for a long time (10 attempts, 2-4 s apart)
        Network gone = net.start(Role.VALIDATOR, List.of());
        PeerAddress down = gone.boundAddress();
        gone.abort().block(WAIT);
        DialPolicy patient = new DialPolicy(10, Duration.ofSeconds(2), Duration.ofSeconds(4), 0, Duration.ofSeconds(1));
        Network o = net.start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER)
                        .seeds(List.of(down, v.get(0).boundAddress()))
                        .dial(patient)
                        .pexInterval(Duration.ofSeconds(1))
                        .build(),
                NetworkOptions.defaults().withIoThreads(1).withAttachTo(2));

        // the down seed's dial waits out its backoff for 20 s and more; meanwhile a validator learned by peer exchange
        // makes the second link (counting that dial as a link to be kept the observer on one validator until it gave
        // up)
        await().atMost(Duration.ofSeconds(8)).until(() -> o.peers().size() == 2);
        assertThat(TestNet.peerIds(o)).contains(v.get(0).id()).doesNotContain(gone.id());
    }

    @Test
    void observerSeededWithOneValidatorHoldsTwoAndFailsOverWhenOneCrashes() {
        List<Network> v = threeValidators();
        Network o = observer(
                v.get(0).boundAddress(),
                2,
                TestNet.config(Role.OBSERVER).build().dial());

        await().atMost(WAIT).until(() -> o.peers().size() == 2);
        Set<NodeId> attached = TestNet.peerIds(o);
        assertThat(attached).contains(v.get(0).id());
        NodeId other = attached.stream()
                .filter(id -> !id.equals(v.get(0).id()))
                .findFirst()
                .orElseThrow();
        NodeId spare = v.stream()
                .map(Network::id)
                .filter(id -> !attached.contains(id))
                .findFirst()
                .orElseThrow();
        // learned by peer exchange, and held back only because two are enough
        await().atMost(WAIT).until(() -> explain(o, spare).addresses().size() > 0);
        PeerExplanation s = explain(o, spare);
        assertThat(s.trusted()).isTrue();
        assertThat(s.role()).isEqualTo(Role.VALIDATOR);
        assertThat(s.state()).isEqualTo(State.NOT_DIALING);
        assertThat(s.why()).contains("attach-to 2");
        assertThat(s.addresses().get(0).sources()).contains(Source.PEER_EXCHANGE);
        PeerExplanation seed = explain(o, v.get(0).id());
        assertThat(seed.state()).isEqualTo(State.CONNECTED);
        assertThat(seed.addresses()).anySatisfy(a -> assertThat(a.sources()).contains(Source.SEED));
        assertThat(seed.connection()).isNotNull();

        // the seed crashes (no goodbye): the observer attaches to the spare at once
        long before = System.nanoTime();
        v.get(0).abort().block(WAIT);
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> TestNet.peerIds(o).equals(Set.of(other, spare)));
        Duration took = Duration.ofNanos(System.nanoTime() - before);
        Duration bound = TestNet.config(Role.OBSERVER).build().heartbeat().detectionBound();
        log.info(
                "failover: attached to 2 validators again {} ms after the crash (detection bound {} ms)",
                took.toMillis(),
                bound.toMillis());

        PeerExplanation lost = explain(o, v.get(0).id());
        assertThat(lost.state()).isIn(State.BACKOFF, State.DIALING, State.NOT_DIALING);
        assertThat(lost.lastError()).isNotNull();
        assertThat(lost.lastErrorAt()).isNotNull();
    }

    @Test
    void clearBackoffDialsAPeerInBackoffAtOnce() {
        Network v = net.start(Role.VALIDATOR, List.of());
        PeerAddress at = v.boundAddress();
        NodeIdentity vId = net.identities.get(v.id());
        // one attempt per dial, and 30 s before an address that failed is dialed again
        DialPolicy slow = new DialPolicy(1, Duration.ofMillis(50), Duration.ofMillis(50), 0, Duration.ofSeconds(30));
        // that single attempt must not miss its handshake deadline on a busy machine (a cold JVM's first handshake
        // did, once, and the 30 s wait then outlasted the test): a generous deadline; the test is about the backoff
        Network o = net.start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER)
                        .seeds(List.of(at))
                        .dial(slow)
                        .timeouts(new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(1)))
                        .build(),
                NetworkOptions.defaults().withIoThreads(1).withAttachTo(2));
        await().atMost(WAIT).until(() -> o.peers().size() == 1);

        v.abort().block(WAIT);
        await().atMost(WAIT).until(() -> explain(o, vId.id()).state() == State.BACKOFF);
        PeerExplanation e = explain(o, vId.id());
        assertThat(e.nextAttemptAt()).isAfter(java.time.Instant.now().plusSeconds(20));
        assertThat(e.why()).contains("failed");
        assertThat(e.lastError()).contains("gave up");

        Network back = net.start(vId, TestNet.config(Role.VALIDATOR).listen(at).build());
        assertThat(o.clearBackoff(vId.id())).isPositive();
        await().atMost(Duration.ofSeconds(10)).until(() -> TestNet.peerIds(o).contains(back.id()));
        assertThat(explain(o, vId.id()).state()).isEqualTo(State.CONNECTED);
        assertThat(o.clearBackoff(vId.id())).as("nothing left to clear").isZero();
    }

    @Test
    void explainOfAnUnknownIdIsEmptyAndOfAnObserverSaysWhyNotDialed() {
        Network v = net.start(Role.VALIDATOR, List.of());
        NodeId stranger = NodeIdentity.generate().id();
        assertThat(v.explain(stranger)).isEmpty();
        NodeId otherObserver = net.identity(Role.OBSERVER).id();
        PeerExplanation e = explain(v, otherObserver);
        assertThat(e.state()).isEqualTo(State.NOT_DIALING);
        assertThat(e.why()).contains("does not dial");
        assertThat(new HashSet<>(e.addresses())).isEmpty();
    }
}
