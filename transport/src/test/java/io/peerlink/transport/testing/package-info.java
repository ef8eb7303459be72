/** Test helpers: wire frames, a hand-rolled peer that signs real transcripts, and a raw socket client. */
@NullMarked
package io.peerlink.transport.testing;

import org.jspecify.annotations.NullMarked;
