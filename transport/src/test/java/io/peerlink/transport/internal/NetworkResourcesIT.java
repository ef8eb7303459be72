package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.Role;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several networks on one set of threads: they link up, and stopping one leaves the others and the threads. */
class NetworkResourcesIT {
    private final TestNet net = new TestNet();
    private final NetworkResources shared =
            NetworkResources.create(NetworkOptions.defaults().withIoThreads(1), "it");

    @AfterEach
    void stop() {
        net.close();
        shared.close();
    }

    private Network start(List<io.peerlink.core.PeerAddress> seeds) {
        Network n = new Network(
                net.identity(Role.VALIDATOR),
                net.trust,
                TestNet.config(Role.VALIDATOR).seeds(seeds).build(),
                NetworkOptions.defaults(),
                TransportObserver.NOOP,
                shared);
        net.nodes.add(n);
        n.start().block(Duration.ofSeconds(5));
        return n;
    }

    @Test
    void networksOnSharedThreadsLinkAndOneStoppingLeavesTheOthersRunning() {
        Network a = start(List.of());
        Network b = start(List.of(a.boundAddress()));
        assertThat(a.transportName()).isEqualTo(shared.transportName());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(TestNet.peerIds(a)).containsExactly(b.id());
            assertThat(TestNet.peerIds(b)).containsExactly(a.id());
        });
        b.send(a.id(), "test/1", ByteString.copyFromUtf8("over shared loops")).block(Duration.ofSeconds(5));
        assertThat(a.receive().blockFirst(Duration.ofSeconds(5)).payload().toStringUtf8())
                .isEqualTo("over shared loops");

        b.stop().block(Duration.ofSeconds(10));

        // b released its sockets but not the threads it was lent
        assertThat(b.openChannelCount()).isZero();
        assertThat(shared.group().isShuttingDown()).isFalse();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(a.peers()).isEmpty());
        Network c = start(List.of(a.boundAddress()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(TestNet.peerIds(a)).containsExactly(c.id());
            assertThat(TestNet.peerIds(c)).containsExactly(a.id());
        });

        net.close();
        assertThat(shared.group().isShuttingDown()).isFalse();
        shared.close();
        assertThat(shared.group().isTerminated()).isTrue();
    }

    @Test
    void aNetworkWithItsOwnThreadsReleasesThemOnStop() {
        Network own = net.start(Role.VALIDATOR, List.of());
        assertThat(own.transportName()).isIn("epoll", "io_uring", "nio");
        own.stop().block(Duration.ofSeconds(10));
        assertThat(own.resources().group().isTerminated()).isTrue();
    }
}
