package io.peerlink.transport.internal.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.buffer.ByteBufAllocator;
import io.peerlink.core.identity.NodeIdentity;
import java.security.cert.Certificate;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's TLS 1.3 contexts: mutual authentication with identity certificates ({@link IdentityCertificate}),
 * BoringSSL (netty-tcnative) when it is available and accepts the key, else the JDK's own TLS.
 *
 * <pre>{@code
 * TlsContexts tls = TlsContexts.create(identity);
 * pipeline.addFirst(PipelineNames.TLS, tls.newHandler(alloc, isClient));
 * byte[] peerKey = TlsContexts.peerKey(sslHandler);   // after the TLS handshake
 * }</pre>
 */
public final class TlsContexts {
    private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);
    private static final String TLS13 = "TLSv1.3";

    private final SslContext server;
    private final SslContext client;
    private final String provider;

    private TlsContexts(SslContext server, SslContext client, String provider) {
        this.server = server;
        this.client = client;
        this.provider = provider;
    }

    public static TlsContexts create(NodeIdentity identity) {
        IdentityCertificate cert = IdentityCertificate.of(identity);
        if (OpenSsl.isAvailable()) {
            try {
                TlsContexts boring = build(cert, SslProvider.OPENSSL, "boringssl");
                if (SelfTest.handshakes(boring.server, boring.client)) {
                    return boring;
                }
                log.debug("BoringSSL cannot use an Ed25519 identity certificate here; using the JDK's TLS 1.3");
            } catch (SSLException | RuntimeException e) {
                log.debug("BoringSSL refused the Ed25519 identity certificate ({}); using the JDK's TLS", e.toString());
            }
        }
        try {
            return build(cert, SslProvider.JDK, "jdk");
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static TlsContexts build(IdentityCertificate cert, SslProvider provider, String name) throws SSLException {
        SslContext server = SslContextBuilder.forServer(cert.privateKey(), cert.certificate())
                .sslProvider(provider)
                .protocols(TLS13)
                .clientAuth(ClientAuth.REQUIRE)
                .trustManager(IdentityTrustManager.INSTANCE)
                .build();
        SslContext client = SslContextBuilder.forClient()
                .sslProvider(provider)
                .protocols(TLS13)
                .keyManager(cert.privateKey(), cert.certificate())
                .trustManager(IdentityTrustManager.INSTANCE)
                .build();
        return new TlsContexts(server, client, name);
    }

    /** "boringssl" or "jdk". */
    public String provider() {
        return provider;
    }

    public SslHandler newHandler(ByteBufAllocator alloc, boolean client) {
        return (client ? this.client : server).newHandler(alloc);
    }

    /** The raw Ed25519 key of the peer's certificate once the TLS handshake is done, or null. */
    public static byte @Nullable [] peerKey(SslHandler handler) {
        try {
            Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            return chain.length == 0 ? null : Ed25519Keys.raw(Objects.requireNonNull(chain[0].getPublicKey()));
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
