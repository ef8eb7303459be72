package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.ssl.OpenSsl;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Identify;
import io.peerlink.protocol.handshake.Transcript;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TlsProvider;
import io.peerlink.transport.internal.tls.IdentityCertificate;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import io.peerlink.transport.testing.TlsCertificates;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Attacks on the identity binding of TLS links, over real sockets: forged and transplanted certificate extensions
 * and strangers are refused inside the TLS handshake, before the node reads any frame; a proof made in one TLS
 * session does not verify in another. Each of these got through before the TLS key was bound to the identity and
 * the transcript to both certificates (then the certificate was the Ed25519 identity key itself, and the binding a
 * constant byte).
 */
class TlsAttackIT {
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

    Network target(TlsProvider provider) {
        if (provider == TlsProvider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), "netty-tcnative does not load here");
        }
        NodeIdentity id = net.identity(Role.VALIDATOR);
        Network n = new Network(
                id,
                net.trust,
                TestNet.config(Role.VALIDATOR)
                        .transportSecurity(TransportSecurity.TLS)
                        .build(),
                NetworkOptions.defaults().withIoThreads(1).withTlsProvider(provider),
                observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(events::add);
        return n;
    }

    /**
     * Connects with {@code tls}, then sends an Identify as {@code claimed}: the node must end the connection inside
     * TLS, never answer, never read a frame, and report {@code reason} itself.
     */
    void assertRefusedInTls(Network target, SSLContext tls, RawPeer claimed, DisconnectReason reason) {
        try {
            RawClient c = RawClient.connectTls(null, target.boundAddress(), tls);
            closeables.add(c);
            try {
                c.send(claimed.identify());
            } catch (UncheckedIOException e) {
                // the alert may already have closed the socket
            }
            assertThat(c.poll(WAIT)).as("no frame from the node").isNull();
            assertThat(c.ended()).isTrue();
            assertThat(c.tlsFailure()).as("ended by a TLS alert").isNotNull();
        } catch (UncheckedIOException refusedEarly) {
            // the node's alert arrived during the client's own handshake: refused in TLS all the same
        }
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                            assertThat(r.reason()).isEqualTo(reason);
                            assertThat(r.byPeer()).as("refused by this node").isFalse();
                            assertThat(r.detail()).startsWith("TLS: ");
                        })));
        assertThat(observer.messagesRead()).as("frames the node decoded").isZero();
        assertThat(target.peers()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(
            value = TlsProvider.class,
            names = {"OPENSSL", "JDK"})
    void certificateWhoseBindingIsSignedByAnotherIdentityIsRefusedInTls(TlsProvider provider) {
        Network target = target(provider);
        NodeIdentity victim = net.identity(Role.OBSERVER);
        NodeIdentity mallory = net.identity(Role.OBSERVER); // a trusted insider signs a binding naming the victim

        IdentityCertificate forged = TlsCertificates.bindingSignedByAnother(victim, mallory);
        assertRefusedInTls(
                target,
                TlsCertificates.client(forged),
                new RawPeer(victim, Role.OBSERVER, ""),
                DisconnectReason.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @EnumSource(
            value = TlsProvider.class,
            names = {"OPENSSL", "JDK"})
    void validBindingCopiedOntoAnotherTlsKeyIsRefusedInTls(TlsProvider provider) {
        Network target = target(provider);
        NodeIdentity victim = net.identity(Role.OBSERVER);
        IdentityCertificate honest = IdentityCertificate.of(victim); // as the victim sent it in some TLS handshake

        IdentityCertificate transplanted = TlsCertificates.bindingCopiedOntoAnotherKey(honest);
        assertRefusedInTls(
                target,
                TlsCertificates.client(transplanted),
                new RawPeer(victim, Role.OBSERVER, ""),
                DisconnectReason.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @EnumSource(
            value = TlsProvider.class,
            names = {"OPENSSL", "JDK"})
    void identityNotInTheTrustFileIsRefusedInTlsBeforeAnyApplicationFrame(TlsProvider provider) {
        Network target = target(provider);
        NodeIdentity stranger = NodeIdentity.generate(); // a valid binding, but nobody trusts it

        assertRefusedInTls(
                target,
                TlsCertificates.client(IdentityCertificate.of(stranger)),
                new RawPeer(stranger, Role.OBSERVER, ""),
                DisconnectReason.UNKNOWN_PEER);
    }

    @Test
    void nodeDialingAnUntrustedServerRefusesItsCertificateBeforeSendingAnything() {
        Network target = target(TlsProvider.AUTO);
        // a stranger that trusts the target and would happily link
        NodeIdentity strangerId = NodeIdentity.generate();
        CountingObserver atStranger = new CountingObserver();
        Network stranger = new Network(
                strangerId,
                new InMemoryTrustRegistry(Map.of(target.id(), Role.VALIDATOR)),
                TestNet.config(Role.VALIDATOR)
                        .transportSecurity(TransportSecurity.TLS)
                        .build(),
                NetworkOptions.defaults().withIoThreads(1),
                atStranger);
        net.nodes.add(stranger);
        stranger.start().block(WAIT);

        assertThatThrownBy(() -> target.dial(stranger.boundAddress()).block(WAIT))
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.UNKNOWN_PEER));
        assertThat(atStranger.messagesRead()).as("frames the stranger decoded").isZero();
        assertThat(observer.messagesRead()).as("frames the target decoded").isZero();
        assertThat(stranger.peers()).isEmpty();
    }

    @Test
    void identifyClaimingAnotherIdentityThanTheCertificateIsRefused() {
        Network target = target(TlsProvider.AUTO);
        NodeIdentity victim = net.identity(Role.OBSERVER);
        NodeIdentity mallory = net.identity(Role.OBSERVER);
        RawClient c = RawClient.connectTls(
                null,
                target.boundAddress(),
                TlsCertificates.client(IdentityCertificate.of(mallory))); // TLS as itself: accepted
        closeables.add(c);

        c.send(new RawPeer(victim, Role.OBSERVER, "").identify()); // then claims the victim
        assertThat(c.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.ID_MISMATCH);
        assertThat(target.peers()).isEmpty();
    }

    /**
     * A man in the middle who holds earlier (leaked) TLS keys of both x and the target relays the handshake between
     * two TLS sessions: x's proof, made in x's own session, is moved into the attacker's session with the target.
     * The ids, challenges, roles and addresses all match; only the certificates differ, and the transcript binds
     * them. The same proof over the attacker's own session's certificates is accepted, so nothing else is wrong.
     */
    @Test
    void proofMadeInAnotherTlsSessionIsRefused() {
        Network target = target(TlsProvider.AUTO);
        NodeIdentity targetId = net.identities.get(target.id());
        NodeIdentity x = net.identity(Role.OBSERVER);
        RawPeer honestX = new RawPeer(x, Role.OBSERVER, "");
        IdentityCertificate leakedX = IdentityCertificate.of(x); // a key x used in an earlier run
        IdentityCertificate leakedTarget = IdentityCertificate.of(targetId); // and one the target used
        IdentityCertificate currentX = IdentityCertificate.of(x); // x's key in x's own session now

        RawClient mitm = RawClient.connectTls(null, target.boundAddress(), TlsCertificates.client(leakedX));
        closeables.add(mitm);
        mitm.send(honestX.identify()); // x's Identify, relayed
        Identify targetHello = answer(mitm);
        // x signs in its own session with the attacker, whose certificates are x's current one and the target's
        // leaked one; the attacker moves that proof into its session with the target
        byte[] xSession = Transcript.tlsBinding(currentX.encoded(), leakedTarget.encoded());
        mitm.send(honestX.initiatorProof(targetHello, xSession));

        assertThat(mitm.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.BAD_SIGNATURE);
        assertRejected(DisconnectReason.BAD_SIGNATURE, x.id());
        assertThat(target.peers()).isEmpty();

        // control: the same party, proving over the certificates of the session it is in, is admitted
        RawClient direct = RawClient.connectTls(null, target.boundAddress(), TlsCertificates.client(leakedX));
        closeables.add(direct);
        direct.send(honestX.identify());
        Identify hello = answer(direct);
        byte[] thisSession = Transcript.tlsBinding(leakedX.encoded(), peerCertificate(direct));
        direct.send(honestX.initiatorProof(hello, thisSession));
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).contains(x.id()));
    }

    private static Identify answer(RawClient client) {
        Envelope identify = client.read(WAIT);
        Envelope proof = client.read(WAIT);
        assertThat(identify.hasIdentify()).isTrue();
        assertThat(proof.hasProof()).isTrue();
        return identify.getIdentify();
    }

    private static byte[] peerCertificate(RawClient client) {
        try {
            return client.tlsSession().getPeerCertificates()[0].getEncoded();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertRejected(DisconnectReason reason, @Nullable NodeId claimed) {
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Rejected.class, r -> {
                            assertThat(r.reason()).isEqualTo(reason);
                            assertThat(r.peer()).isEqualTo(claimed);
                        })));
    }
}
