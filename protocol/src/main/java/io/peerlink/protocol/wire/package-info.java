/** Conversions between wire messages and core value types. */
@NullMarked
package io.peerlink.protocol.wire;

import org.jspecify.annotations.NullMarked;
