/** Mutual TLS 1.3 whose certificates carry the nodes' own Ed25519 identity keys. */
@NullMarked
package io.peerlink.transport.tls;

import org.jspecify.annotations.NullMarked;
