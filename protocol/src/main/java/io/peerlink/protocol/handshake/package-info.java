/** The identify + mutual challenge-response handshake as a pure state machine, without sockets. */
@NullMarked
package io.peerlink.protocol.handshake;

import org.jspecify.annotations.NullMarked;
