package io.peerlink.transport;

/**
 * Which TLS implementation secures links. Both speak the same TLS 1.3 with ECDSA P-256 certificates, so nodes
 * using either link with each other.
 *
 * <pre>{@code
 * NetworkOptions.defaults().withTlsProvider(TlsProvider.JDK);
 * }</pre>
 */
public enum TlsProvider {
    /** BoringSSL when netty-tcnative loads on this platform, else the JDK's. */
    AUTO,
    /** BoringSSL through netty-tcnative (about ten times less CPU per handshake); an error if it cannot load. */
    OPENSSL,
    /** The JDK's own TLS 1.3. */
    JDK
}
