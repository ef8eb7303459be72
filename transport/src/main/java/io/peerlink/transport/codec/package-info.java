/** Bounded varint32 framing and the protobuf envelope codec. */
@NullMarked
package io.peerlink.transport.codec;

import org.jspecify.annotations.NullMarked;
