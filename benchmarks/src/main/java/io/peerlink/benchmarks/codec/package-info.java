/** Benchmarks of the wire codec: varint32-length-prefixed protobuf {@code Envelope}s in pooled Netty buffers. */
@NullMarked
package io.peerlink.benchmarks.codec;

import org.jspecify.annotations.NullMarked;
