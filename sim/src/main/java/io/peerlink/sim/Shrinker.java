package io.peerlink.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Shrinks the fault schedule of a failing run: drops faults one at a time (latest first) and keeps each removal
 * after which the same invariant still breaks, until no single fault can go. Each try is one full (deterministic)
 * run, stopped at its first violation.
 *
 * <pre>{@code
 * List<Fault> minimal = Shrinker.shrink(failed.options(), failed.schedule(), failed.violation().invariant());
 * }</pre>
 */
public final class Shrinker {
    private Shrinker() {}

    /** The shortest schedule found that still breaks {@code invariant}. */
    public static List<Fault> shrink(SimOptions options, List<Fault> schedule, String invariant) {
        List<Fault> current = new ArrayList<>(schedule);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = current.size() - 1; i >= 0; i--) {
                List<Fault> candidate = new ArrayList<>(current);
                candidate.remove(i);
                if (fails(options, candidate, invariant)) {
                    current = candidate;
                    progress = true;
                }
            }
        }
        return current;
    }

    static boolean fails(SimOptions options, List<Fault> schedule, String invariant) {
        SimResult r = new Simulation(options.toBuilder().schedule(schedule).build()).run();
        return r.violation() != null && r.violation().invariant().equals(invariant);
    }
}
