/** Exactly one link per pair of nodes: the deterministic tie-break and the table of authenticated links. */
@NullMarked
package io.peerlink.protocol.dedup;

import org.jspecify.annotations.NullMarked;
