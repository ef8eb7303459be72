/**
 * The connection manager as a pure state machine: events and the current time in, actions out; no I/O, no
 * threads, no clock reads, so Netty and the simulator run the very same decisions.
 */
@NullMarked
package io.peerlink.protocol.manager;

import org.jspecify.annotations.NullMarked;
