/** The application stage of an authenticated link: disconnects, peer exchange and application messages. */
@NullMarked
package io.peerlink.transport.internal.link;

import org.jspecify.annotations.NullMarked;
