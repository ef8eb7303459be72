/** The Netty handler that runs the handshake state machine on a channel. */
@NullMarked
package io.peerlink.transport.internal.handshake;

import org.jspecify.annotations.NullMarked;
