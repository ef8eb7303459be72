/** The deterministic simulator: many nodes, one thread, virtual time, seeded faults and invariants. */
@NullMarked
package io.peerlink.sim;

import org.jspecify.annotations.NullMarked;
