/** Immutable, validated configuration records and their defaults. */
@NullMarked
package io.peerlink.core.config;

import org.jspecify.annotations.NullMarked;
