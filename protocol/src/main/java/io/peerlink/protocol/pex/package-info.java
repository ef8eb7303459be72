/** Peer exchange between validators: signed address records, bounded answers, per-link limits and dial budgets. */
@NullMarked
package io.peerlink.protocol.pex;

import org.jspecify.annotations.NullMarked;
