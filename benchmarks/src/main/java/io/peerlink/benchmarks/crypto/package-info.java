/** Benchmarks of Ed25519 signing and verification, the crypto-bound floor of a handshake. */
@NullMarked
package io.peerlink.benchmarks.crypto;

import org.jspecify.annotations.NullMarked;
