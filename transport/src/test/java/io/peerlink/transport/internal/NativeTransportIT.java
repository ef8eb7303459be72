package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.ConfigException;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every socket implementation this machine offers carries a link end to end over loopback. */
class NativeTransportIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    private Network start(NativeTransport transport, List<io.peerlink.core.PeerAddress> seeds) {
        NodeIdentity id = net.identity(Role.VALIDATOR);
        Network n = new Network(
                id,
                net.trust,
                TestNet.config(Role.VALIDATOR).seeds(seeds).build(),
                NetworkOptions.defaults().withIoThreads(1).withNativeTransport(transport),
                TransportObserver.NOOP);
        net.nodes.add(n);
        n.start().block(Duration.ofSeconds(5));
        return n;
    }

    @ParameterizedTest
    @EnumSource(NativeTransport.class)
    void linksAndCarriesMessages(NativeTransport transport) {
        Assumptions.assumeTrue(
                Transports.isAvailable(transport),
                () -> transport + " unavailable here: " + Transports.unavailabilityCause(transport));
        Network a = start(transport, List.of());
        Network b = start(transport, List.of(a.boundAddress()));
        String expected = switch (transport) {
            case AUTO, EPOLL -> Transports.isAvailable(NativeTransport.EPOLL) ? "epoll" : "nio";
            case IO_URING -> "io_uring";
            case NIO -> "nio";
        };
        assertThat(a.transportName()).isEqualTo(expected);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(TestNet.peerIds(a)).contains(b.id()));
        a.send(b.id(), "test/1", ByteString.copyFromUtf8("via " + expected)).block(Duration.ofSeconds(5));
        assertThat(b.receive().blockFirst(Duration.ofSeconds(5)).payload().toStringUtf8())
                .isEqualTo("via " + expected);
    }

    @ParameterizedTest
    @EnumSource(
            value = NativeTransport.class,
            names = {"EPOLL", "IO_URING"})
    void anUnavailableNativeTransportIsAConfigErrorNamingTheCause(NativeTransport transport) {
        Assumptions.assumeFalse(Transports.isAvailable(transport), () -> transport + " is available here");
        assertThatThrownBy(() -> Transports.select(transport))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(transport.name().toLowerCase(java.util.Locale.ROOT))
                .hasMessageContaining("unavailable");
    }
}
