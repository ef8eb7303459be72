/** Bounded varint32 framing and the protobuf envelope codec. */
@NullMarked
package io.peerlink.transport.internal.codec;

import org.jspecify.annotations.NullMarked;
