/** Heartbeats over established links: pings, round-trip times and loss detection. */
@NullMarked
package io.peerlink.transport.internal.heartbeat;

import org.jspecify.annotations.NullMarked;
