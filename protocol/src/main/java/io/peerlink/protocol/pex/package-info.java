/** Peer exchange between validators: bounded answers and which endpoints to dial next. */
@NullMarked
package io.peerlink.protocol.pex;

import org.jspecify.annotations.NullMarked;
