/**
 * The link and its application stage: {@link io.peerlink.transport.internal.link.PeerLink}, the owner of one link's
 * state and of the ways to end it, made by the channel initializer; its send queue; and the handler for disconnects,
 * peer exchange and application messages once the link is authenticated.
 */
@NullMarked
package io.peerlink.transport.internal.link;

import org.jspecify.annotations.NullMarked;
