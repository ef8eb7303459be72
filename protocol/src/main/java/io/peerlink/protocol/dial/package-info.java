/** Dial policy: who may dial whom, retry with backoff, and sharing of in-flight attempts. */
@NullMarked
package io.peerlink.protocol.dial;

import org.jspecify.annotations.NullMarked;
