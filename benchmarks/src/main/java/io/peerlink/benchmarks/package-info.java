/** JMH benchmarks of peerlink's pieces, each measured against a baseline in the same class. */
@NullMarked
package io.peerlink.benchmarks;

import org.jspecify.annotations.NullMarked;
