/** The load generator: whole-node figures (handshakes, idle memory, throughput, round trips, mesh) against a target node in its own JVM. */
@NullMarked
package io.peerlink.benchmarks.load;

import org.jspecify.annotations.NullMarked;
