/** Turns JMH's JSON results into the Markdown tables of {@code docs/benchmarks.md}, as ratios to each baseline. */
@NullMarked
package io.peerlink.benchmarks.report;

import org.jspecify.annotations.NullMarked;
