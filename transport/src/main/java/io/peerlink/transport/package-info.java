/** The Netty transport: the network engine, its options and its observer hooks. */
@NullMarked
package io.peerlink.transport;

import org.jspecify.annotations.NullMarked;
