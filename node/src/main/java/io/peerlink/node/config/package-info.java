/** The node's TOML config file: binding, validation with clear messages, and flag overrides. */
@NullMarked
package io.peerlink.node.config;

import org.jspecify.annotations.NullMarked;
