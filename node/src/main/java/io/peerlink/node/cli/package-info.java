/** The {@code peerlink} command line: keygen, id, run and devnet. */
@NullMarked
package io.peerlink.node.cli;

import org.jspecify.annotations.NullMarked;
