package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.Direction;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

/**
 * A validator learned from peer exchange is dialed by one end of the pair only, so a mesh forms with about one
 * handshake per link instead of two racing ones, and losing a race is not reported as a failed dial.
 */
class MeshDialsIT {
    static final int VALIDATORS = 16;

    private final TestNet net = new TestNet();
    private final List<Disposable> subscriptions = new ArrayList<>();

    @AfterEach
    void stop() {
        subscriptions.forEach(Disposable::dispose);
        net.close();
    }

    /** Counts handshakes and duplicate links over every node. */
    static final class Handshakes implements TransportObserver {
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger duplicates = new AtomicInteger();

        @Override
        public void handshakeSucceeded(Direction direction, long nanos) {
            succeeded.incrementAndGet();
        }

        @Override
        public void duplicateClosed() {
            duplicates.incrementAndGet();
        }
    }

    @Test
    void chainOfValidatorsMeshesWithOneHandshakePerLinkAndNoDialFailures() {
        Handshakes counts = new Handshakes();
        List<PeerEvent.DialFailed> dialFailures = new CopyOnWriteArrayList<>();
        List<Network> validators = new ArrayList<>();
        for (int i = 0; i < VALIDATORS; i++) {
            List<PeerAddress> seed =
                    i == 0 ? List.of() : List.of(validators.get(i - 1).boundAddress());
            Network n = new Network(
                    net.identity(Role.VALIDATOR),
                    net.trust,
                    TestNet.config(Role.VALIDATOR).seeds(seed).build(),
                    NetworkOptions.defaults().withIoThreads(1),
                    counts);
            net.nodes.add(n);
            subscriptions.add(n.events().ofType(PeerEvent.DialFailed.class).subscribe(dialFailures::add));
            n.start().block(Duration.ofSeconds(5));
            validators.add(n);
        }

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> MeshIT.assertFullMesh(validators));

        int links = VALIDATORS * (VALIDATORS - 1) / 2;
        // each end counts a handshake; both ends dialing every pair (the old behaviour) came to ~1.8 per link end
        assertThat(counts.succeeded.get()).as("handshakes over %s links", links).isLessThan(2 * links + links / 4);
        assertThat(counts.duplicates.get()).as("duplicate links closed").isLessThan(links / 8);
        assertThat(dialFailures).isEmpty();
    }
}
