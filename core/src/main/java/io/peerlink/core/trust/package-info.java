/** The trust registry: which node ids may connect, with which role, and revocation. */
@NullMarked
package io.peerlink.core.trust;

import org.jspecify.annotations.NullMarked;
