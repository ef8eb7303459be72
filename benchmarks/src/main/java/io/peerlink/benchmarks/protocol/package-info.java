/** Benchmarks of the pure protocol state machines, measured against the crypto they cannot avoid. */
@NullMarked
package io.peerlink.benchmarks.protocol;

import org.jspecify.annotations.NullMarked;
