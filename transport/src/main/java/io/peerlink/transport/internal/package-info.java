/** Internals of the network engine; not API. */
@NullMarked
package io.peerlink.transport.internal;

import org.jspecify.annotations.NullMarked;
