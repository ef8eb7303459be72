/** Mutual TLS 1.3 whose certificates carry the nodes' own Ed25519 identity keys. */
@NullMarked
package io.peerlink.transport.internal.tls;

import org.jspecify.annotations.NullMarked;
