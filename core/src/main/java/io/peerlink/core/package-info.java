/** Value types shared by every peerlink module: node ids, roles, addresses, disconnect reasons and errors. */
@NullMarked
package io.peerlink.core;

import org.jspecify.annotations.NullMarked;
