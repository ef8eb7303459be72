/** Micrometer metrics fed by the transport's observer hooks. */
@NullMarked
package io.peerlink.node.metrics;

import org.jspecify.annotations.NullMarked;
