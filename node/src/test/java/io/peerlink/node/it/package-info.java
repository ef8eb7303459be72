/** Integration tests that run the built {@code target/peerlink} launcher as separate processes. */
@NullMarked
package io.peerlink.node.it;

import org.jspecify.annotations.NullMarked;
