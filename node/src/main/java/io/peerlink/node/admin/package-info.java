/** The admin HTTP endpoint: health, peers and Prometheus metrics, on loopback by default. */
@NullMarked
package io.peerlink.node.admin;

import org.jspecify.annotations.NullMarked;
