/** Test helpers shared by unit and integration tests. */
@NullMarked
package io.peerlink.node.testing;

import org.jspecify.annotations.NullMarked;
