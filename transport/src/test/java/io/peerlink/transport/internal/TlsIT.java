package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.transport.internal.tls.TlsContexts;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Links encrypted with mutual TLS 1.3 whose certificates carry the identity keys. */
class TlsIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    private Network start(TransportSecurity security) {
        return net.start(net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).transportSecurity(security).build());
    }

    @Test
    void tlsNodesAuthenticateAndExchangeMessages() {
        Network a = start(TransportSecurity.TLS);
        Network b = start(TransportSecurity.TLS);
        List<String> got = new CopyOnWriteArrayList<>();
        a.receive().subscribe(m -> got.add(m.payload().toStringUtf8()));

        Connection c = b.dial(a.boundAddress()).block(Duration.ofSeconds(10));
        assertThat(c.peer()).isEqualTo(a.id());
        b.send(a.id(), "t/1", ByteString.copyFromUtf8("secret")).block(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> got.contains("secret"));
        // the frames really travel inside TLS 1.3 on both ends
        for (Network n : List.of(a, b)) {
            io.netty.handler.ssl.SslHandler ssl = n.channelTo(n == a ? b.id() : a.id())
                    .pipeline().get(io.netty.handler.ssl.SslHandler.class);
            assertThat(ssl).isNotNull();
            assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        assertThat(a.peers()).singleElement().satisfies(p -> assertThat(p.connection().peer()).isEqualTo(b.id()));
    }

    @Test
    void tlsProviderIsReported() {
        assertThat(TlsContexts.create(io.peerlink.core.identity.NodeIdentity.generate()).provider())
                .isIn("boringssl", "jdk");
    }

    @Test
    void plaintextNodeAndTlsNodeRefuseEachOtherWithAClearReason() {
        Network tls = start(TransportSecurity.TLS);
        Network plain = start(TransportSecurity.PLAINTEXT);
        List<PeerEvent> atTls = new CopyOnWriteArrayList<>();
        tls.events().subscribe(atTls::add);
        List<PeerEvent> atPlain = new CopyOnWriteArrayList<>();
        plain.events().subscribe(atPlain::add);

        // a plaintext dialer meets a TLS listener
        assertThatThrownBy(() -> plain.dial(tls.boundAddress()).block(Duration.ofSeconds(10)))
                .isInstanceOf(PeerlinkException.class);
        // a TLS dialer meets a plaintext listener
        assertThatThrownBy(() -> tls.dial(plain.boundAddress()).block(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(PeerlinkException.class,
                        e -> assertThat(e.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(atTls).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED)));
            assertThat(atPlain).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED)));
        });
        assertThat(tls.peers()).isEmpty();
        assertThat(plain.peers()).isEmpty();
    }
}
