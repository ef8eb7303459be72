package io.peerlink.transport.internal.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.peerlink.core.ConfigException;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.TlsProvider;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TLS 1.3 contexts: mutual authentication with a per-start P-256 certificate bound to the node's identity
 * ({@link IdentityCertificate}), peers checked by the {@link IdentityTrustManager} during the TLS handshake, on
 * BoringSSL (netty-tcnative) by default or the JDK's TLS. The first contexts of a provider in a JVM run one in-memory
 * handshake, which checks the provider and warms the TLS and crypto paths before the first real link.
 *
 * <pre>{@code
 * TlsContexts tls = TlsContexts.create(identity, check, TlsProvider.AUTO);
 * pipeline.addFirst(PipelineNames.TLS, tls.newHandler(alloc, isClient));
 * TlsContexts.Secured s = tls.secured(sslHandler);   // after the TLS handshake
 * }</pre>
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    private static final String TLS13 = "TLSv1.3";
    /**
     * Providers that have completed the in-memory handshake in this JVM: it proves the provider takes a P-256 key and
     * warms the JVM, both once per process (every node's key is of the same kind), so a JVM running many nodes (a
     * test cluster, the load generator) does not pay for it per node.
     */
    private static final Set<SslProvider> SELF_TESTED = ConcurrentHashMap.newKeySet();

    private final SslContext server;
    private final SslContext client;
    private final String provider;
    private final byte[] localCertificate;
    private final BindingCache bindings;

    /**
     * What the TLS handshake established: the identity the peer's certificate is bound to, and both certificates
     * (DER) for the handshake transcript's channel binding.
     */
    public record Secured(byte[] peerIdentityKey, byte[] localCertificate, byte[] peerCertificate) {}

    private TlsContexts(
            SslContext server, SslContext client, String provider, byte[] localCertificate, BindingCache bindings) {
        this.server = server;
        this.client = client;
        this.provider = provider;
        this.localCertificate = localCertificate;
        this.bindings = bindings;
    }

    /**
     * New contexts with a fresh TLS key for {@code identity}.
     *
     * @throws ConfigException if {@code OPENSSL} is asked for and cannot be used here
     */
    public static TlsContexts create(NodeIdentity identity, PeerCheck check, TlsProvider requested) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(requested, "requested");
        IdentityCertificate cert = IdentityCertificate.of(identity);
        BindingCache bindings = new BindingCache();
        IdentityTrustManager trust = new IdentityTrustManager(identity.id(), check, bindings);
        long start = System.nanoTime();
        if (requested != TlsProvider.JDK) {
            if (!OpenSsl.isAvailable()) {
                if (requested == TlsProvider.OPENSSL) {
                    throw new ConfigException("tls provider openssl: netty-tcnative cannot load here: "
                            + why(OpenSsl.unavailabilityCause())
                            + " (expected: a platform netty-tcnative-boringssl-static supports, or tls-provider"
                            + " = \"auto\" or \"jdk\")");
                }
                // WARN: the JDK's TLS costs several times the CPU per handshake; in containers the usual cause is a
                // temp directory mounted noexec (Netty unpacks the library there) or a base image without librt
                log.warn(
                        "BoringSSL (netty-tcnative) cannot load here ({}); using the JDK's TLS 1.3, at several times"
                                + " the CPU per handshake. If the temp directory is mounted noexec, point"
                                + " -Dio.netty.native.workdir at one that is not (tls-provider = \"jdk\" silences this)",
                        String.valueOf(OpenSsl.unavailabilityCause()));
            } else {
                Throwable failed;
                try {
                    TlsContexts boring = build(cert, trust, bindings, SslProvider.OPENSSL, "boringssl");
                    failed = selfTest(boring, SslProvider.OPENSSL);
                    if (failed == null) {
                        log.debug("TLS set-up on boringssl took {} ms", (System.nanoTime() - start) / 1_000_000);
                        return boring;
                    }
                } catch (SSLException | RuntimeException e) {
                    failed = e;
                }
                if (requested == TlsProvider.OPENSSL) {
                    throw new ConfigException(
                            "tls provider openssl: BoringSSL fails a TLS handshake: " + failed, failed);
                }
                log.warn("BoringSSL fails a TLS handshake here ({}); using the JDK's TLS 1.3", failed.toString());
            }
        }
        try {
            TlsContexts jdk = build(cert, trust, bindings, SslProvider.JDK, "jdk");
            Throwable failed = selfTest(jdk, SslProvider.JDK);
            if (failed != null) {
                throw new IllegalStateException("the JDK's TLS fails an in-memory handshake: " + failed, failed);
            }
            log.debug("TLS set-up on jdk took {} ms", (System.nanoTime() - start) / 1_000_000);
            return jdk;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A cause for a one-line message: its own message, without the exception's class name. */
    private static String why(@Nullable Throwable cause) {
        if (cause == null) {
            return "unknown cause";
        }
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }

    private static @Nullable Throwable selfTest(TlsContexts contexts, SslProvider provider) {
        if (SELF_TESTED.contains(provider)) {
            return null;
        }
        Throwable failed = SelfTest.handshake(contexts.server, contexts.client);
        if (failed == null) {
            SELF_TESTED.add(provider);
        }
        return failed;
    }

    /**
     * Both contexts over one key. The in-memory key store Netty fills with the key is JKS: PKCS12, the default,
     * encrypts the key with 10,000 PBKDF2 rounds on the way in, which made building the contexts 30 ms instead of 4
     * (measured with BoringSSL; it adds up for a JVM with many nodes or the load generator's 1,024 identities).
     */
    /**
     * Key exchange groups on BoringSSL: X25519, then P-256 (what the JDK's TLS offers first too). Netty 4.2 puts the
     * post-quantum hybrid X25519MLKEM768 first by default; its ML-KEM key generation, encapsulation and decapsulation
     * cost about as much CPU as the whole rest of BoringSSL's handshake (measured in memory: 565 against 316 µs per
     * handshake, both ends, this machine). Links between validators are authenticated with classical signatures
     * anyway; docs/protocol.md says what the choice means (no protection of recorded traffic against a future
     * quantum computer).
     */
    private static final String[] GROUPS = {"x25519", "secp256r1"};

    private static TlsContexts build(
            IdentityCertificate cert,
            IdentityTrustManager trust,
            BindingCache bindings,
            SslProvider provider,
            String name)
            throws SSLException {
        SslContextBuilder server = SslContextBuilder.forServer(cert.privateKey(), cert.certificate())
                .sslProvider(provider)
                .protocols(TLS13)
                .keyStoreType("JKS")
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(trust);
        SslContextBuilder client = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(TLS13)
                .keyStoreType("JKS")
                .keyManager(cert.privateKey(), cert.certificate())
                .trustManager(trust);
        if (provider == SslProvider.OPENSSL) {
            server.option(OpenSslContextOption.GROUPS, GROUPS.clone());
            client.option(OpenSslContextOption.GROUPS, GROUPS.clone());
        }
        return new TlsContexts(server.build(), client.build(), name, cert.encoded(), bindings);
    }

    /** "boringssl" or "jdk". */
    public String provider() {
        return provider;
    }

    public SslHandler newHandler(ByteBufAllocator alloc, boolean client) {
        return (client ? this.client : server).newHandler(alloc);
    }

    /**
     * The peer's bound identity and both certificates once the TLS handshake is done (the trust manager has then
     * verified the binding), or null if there is no peer certificate.
     */
    public @Nullable Secured secured(SslHandler handler) {
        try {
            Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            if (chain.length != 1 || !(chain[0] instanceof X509Certificate peer)) {
                return null;
            }
            byte[] der = peer.getEncoded();
            // the trust manager has just verified this certificate and cached its binding: no second parse
            byte[] key = bindings.identityKey(BindingCache.sha256(der));
            return new Secured(key != null ? key : IdentityBinding.boundKey(peer), localCertificate.clone(), der);
        } catch (SSLPeerUnverifiedException | CertificateRefusedException | CertificateEncodingException e) {
            return null;
        }
    }
}
