/** Ed25519 node identities: key generation, PEM key files, signing and verification. */
@NullMarked
package io.peerlink.core.identity;

import org.jspecify.annotations.NullMarked;
