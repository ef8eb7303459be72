package io.peerlink.core.config;

/**
 * Link protection. {@code PLAINTEXT} is authenticated at handshake only: fine on a trusted network or for
 * benchmarks, but an on-path attacker can read and inject frames after the handshake.
 *
 * <pre>{@code
 * NodeConfig.builder().transportSecurity(TransportSecurity.PLAINTEXT)
 * }</pre>
 */
public enum TransportSecurity {
    TLS,
    PLAINTEXT
}
