package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.peerlink.core.Connection;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TlsProvider;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Links encrypted with mutual TLS 1.3 on per-start P-256 keys bound to the identity keys, on either provider. */
class TlsIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    private Network start(TransportSecurity security) {
        return net.start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).transportSecurity(security).build());
    }

    private Network start(TransportSecurity security, TlsProvider provider) {
        return net.start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).transportSecurity(security).build(),
                NetworkOptions.defaults().withIoThreads(1).withTlsProvider(provider));
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
            io.netty.handler.ssl.SslHandler ssl =
                    n.channelTo(n == a ? b.id() : a.id()).pipeline().get(io.netty.handler.ssl.SslHandler.class);
            assertThat(ssl).isNotNull();
            assertThat(ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        assertThat(a.peers())
                .singleElement()
                .satisfies(p -> assertThat(p.connection().peer()).isEqualTo(b.id()));
    }

    @Test
    void boringSslIsTheDefaultProviderWhereNettyTcnativeLoads() {
        Logger logger = (Logger) LoggerFactory.getLogger(Network.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addAppender(lines);
        Network a;
        try {
            // netty-tcnative-boringssl-static ships linux-x86_64, so CI has it; elsewhere the JDK is the fallback
            a = start(TransportSecurity.TLS);
        } finally {
            logger.detachAppender(lines);
            logger.setLevel(level);
        }
        String expected = OpenSsl.isAvailable() ? "boringssl" : "jdk";
        assertThat(a.tlsProvider()).isEqualTo(expected);
        assertThat(lines.list)
                .anySatisfy(e ->
                        assertThat(e.getFormattedMessage()).contains("started").contains("tls 1.3 via " + expected));
        assertThat(start(TransportSecurity.PLAINTEXT).tlsProvider()).isEqualTo("none");
    }

    @Test
    void aBoringSslNodeAndAJdkNodeLinkAndExchangeMessagesBothWays() {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative does not load here: " + OpenSsl.unavailabilityCause());
        Network boring = start(TransportSecurity.TLS, TlsProvider.OPENSSL);
        Network jdk = start(TransportSecurity.TLS, TlsProvider.JDK);
        assertThat(boring.tlsProvider()).isEqualTo("boringssl");
        assertThat(jdk.tlsProvider()).isEqualTo("jdk");
        List<String> atBoring = new CopyOnWriteArrayList<>();
        boring.receive().subscribe(m -> atBoring.add(m.payload().toStringUtf8()));
        List<String> atJdk = new CopyOnWriteArrayList<>();
        jdk.receive().subscribe(m -> atJdk.add(m.payload().toStringUtf8()));

        // the JDK client against the BoringSSL server
        assertThat(jdk.dial(boring.boundAddress()).block(Duration.ofSeconds(10)).peer())
                .isEqualTo(boring.id());
        awaitLinked(boring, jdk); // the responder holds the link once the initiator's proof has arrived
        jdk.send(boring.id(), "t/1", ByteString.copyFromUtf8("from jdk")).block(Duration.ofSeconds(5));
        boring.send(jdk.id(), "t/1", ByteString.copyFromUtf8("from boringssl")).block(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> atBoring.contains("from jdk") && atJdk.contains("from boringssl"));

        // and a BoringSSL client against a JDK server
        Network boringClient = start(TransportSecurity.TLS, TlsProvider.OPENSSL);
        Network jdkServer = start(TransportSecurity.TLS, TlsProvider.JDK);
        List<String> atJdkServer = new CopyOnWriteArrayList<>();
        jdkServer.receive().subscribe(m -> atJdkServer.add(m.payload().toStringUtf8()));
        assertThat(boringClient
                        .dial(jdkServer.boundAddress())
                        .block(Duration.ofSeconds(10))
                        .peer())
                .isEqualTo(jdkServer.id());
        awaitLinked(boringClient, jdkServer);
        boringClient
                .send(jdkServer.id(), "t/1", ByteString.copyFromUtf8("second link"))
                .block(Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> atJdkServer.contains("second link"));
        assertThat(((SslHandler) boringClient
                                .channelTo(jdkServer.id())
                                .pipeline()
                                .get(PipelineNames.TLS))
                        .engine()
                        .getSession()
                        .getProtocol())
                .isEqualTo("TLSv1.3");
    }

    private static void awaitLinked(Network a, Network b) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> TestNet.peerIds(a).contains(b.id())
                        && TestNet.peerIds(b).contains(a.id()));
    }

    @Test
    void forcingOpenSslWhereItCannotLoadIsAConfigError() {
        assumeFalse(OpenSsl.isAvailable());
        assertThatThrownBy(() -> start(TransportSecurity.TLS, TlsProvider.OPENSSL))
                .isInstanceOf(io.peerlink.core.ConfigException.class)
                .hasMessageContaining("tls provider openssl");
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
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(atTls)
                    .anySatisfy(e -> assertThat(e)
                            .isInstanceOfSatisfying(
                                    PeerEvent.Rejected.class,
                                    r -> assertThat(r.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED)));
            assertThat(atPlain)
                    .anySatisfy(e -> assertThat(e)
                            .isInstanceOfSatisfying(
                                    PeerEvent.Rejected.class,
                                    r -> assertThat(r.reason()).isEqualTo(DisconnectReason.TLS_REQUIRED)));
        });
        assertThat(tls.peers()).isEmpty();
        assertThat(plain.peers()).isEmpty();
    }
}
