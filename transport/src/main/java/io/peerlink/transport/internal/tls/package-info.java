/**
 * Mutual TLS 1.3 on per-start ECDSA P-256 keys, each bound to its node's Ed25519 identity by a signed certificate
 * extension and checked against the trust registry inside the TLS handshake.
 */
@NullMarked
package io.peerlink.transport.internal.tls;

import org.jspecify.annotations.NullMarked;
