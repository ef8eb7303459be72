/** The embedding API: a peerlink {@link io.peerlink.node.Node} built with a builder and driven with Reactor. */
@NullMarked
package io.peerlink.node;

import org.jspecify.annotations.NullMarked;
