package io.peerlink.sim;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of a run.
 *
 * @param trace the trace hash: every event fed to a manager and every action it returned, with the virtual time
 * @param virtualMillis virtual time simulated (less than asked if a violation stopped the run)
 * @param violation the first invariant broken, or null
 * @param schedule the fault schedule that ran
 * @param samples one per virtual second, for the report
 */
public record SimResult(
        SimOptions options,
        long trace,
        long virtualMillis,
        long wallMillis,
        long events,
        long checks,
        long dials,
        long handshakes,
        @Nullable Violation violation,
        List<Fault> schedule,
        List<Sample> samples) {

    /** An invariant broken at {@code atMillis}. */
    public record Violation(String invariant, long atMillis, String detail) {}

    /**
     * The network at one virtual second.
     *
     * @param mesh validator pairs linked at both ends over the pairs expected (alive, trusted), 0..1
     * @param links registered links counted at every node (each link twice)
     * @param dials dials started in the second before
     * @param faults faults active
     */
    public record Sample(long atMillis, double mesh, int links, int dials, int faults) {}

    public boolean ok() {
        return violation == null;
    }

    public String traceHex() {
        return String.format("%016x", trace);
    }

    /** Virtual seconds per wall second. */
    public double speed() {
        return wallMillis == 0 ? Double.POSITIVE_INFINITY : (double) virtualMillis / wallMillis;
    }

    /** The summary line: {@code seed=.. nodes=.. virtual=.. wall=.. trace=.. invariants=ok|violated:<name>}. */
    public String summary() {
        return "seed=" + options.seed() + " nodes=" + options.nodes() + " virtual=" + seconds(virtualMillis) + " wall="
                + seconds(wallMillis) + " trace=" + traceHex() + " invariants="
                + (violation == null ? "ok" : "violated:" + violation.invariant());
    }

    static String seconds(long millis) {
        return millis % 1000 == 0
                ? millis / 1000 + "s"
                : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
