package io.peerlink.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a random fault schedule: faults of the enabled kinds start between 3 s and {@code duration - meshBound -
 * 10 s} (so that the mesh has its bound to heal before the run ends), about one every 8 virtual seconds.
 */
final class FaultPlan {
    private FaultPlan() {}

    static List<Fault> random(SimOptions o, SplittableRandom random) {
        List<Fault> out = new ArrayList<>();
        List<Fault.Kind> kinds = new ArrayList<>(o.faults());
        long start = 3_000;
        long end = o.duration().toMillis() - o.meshBound().toMillis() - 10_000;
        if (kinds.isEmpty() || end - start < 5_000) {
            return out;
        }
        int count = (int) Math.max(1, Math.min(200, (end - start) / 8_000));
        for (int i = 0; i < count; i++) {
            Fault.Kind kind = kinds.get(random.nextInt(kinds.size()));
            long at = start + random.nextLong(end - start);
            long room = end - at;
            out.add(draw(kind, at, room, o, random));
        }
        out.sort(Comparator.comparingLong(Fault::atMillis));
        return out;
    }

    private static Fault draw(Fault.Kind kind, long at, long room, SimOptions o, SplittableRandom r) {
        int n = o.nodes();
        int v = o.validators();
        return switch (kind) {
            case PARTITION -> new Fault(kind, at, span(r, 2_000, 40_000, room), side(r, n, Math.max(1, n / 5)), 0);
            case ONE_WAY -> new Fault(kind, at, span(r, 2_000, 30_000, room), side(r, n, Math.max(1, n / 10)), 0);
            // half the kills come back within the heartbeat bound, while the peers still hold the old links
            case KILL -> {
                long down = r.nextBoolean() ? span(r, 500, 3_000, room) : span(r, 3_000, 30_000, room);
                yield new Fault(kind, at, down, List.of(anyNode(r, n, v)), 0);
            }
            case FLAP -> new Fault(kind, at, span(r, 2_000, 8_000, room), List.of(anyNode(r, n, v)), 2 + r.nextInt(4));
            case SLOW ->
                new Fault(kind, at, span(r, 5_000, 60_000, room), List.of(anyNode(r, n, v)), 50 + r.nextInt(351));
            case LOSS -> new Fault(kind, at, span(r, 5_000, 30_000, room), List.of(), 10 + r.nextInt(90));
            case REVOKE -> new Fault(kind, at, span(r, 2_000, 30_000, room), List.of(anyNode(r, n, v)), 0);
            case DUAL_DIAL -> {
                int target = r.nextInt(v);
                int from = r.nextInt(n);
                if (from == target) {
                    from = (from + 1) % n;
                }
                yield new Fault(kind, at, 0, List.of(from, target), 0);
            }
        };
    }

    private static long span(SplittableRandom r, long min, long max, long room) {
        long d = min + r.nextLong(max - min + 1);
        return Math.max(1, Math.min(d, room));
    }

    /** Validators half the time, so they are hit as often as the many other nodes together. */
    private static int anyNode(SplittableRandom r, int n, int v) {
        return r.nextBoolean() ? r.nextInt(v) : r.nextInt(n);
    }

    private static List<Integer> side(SplittableRandom r, int n, int max) {
        int size = 1 + r.nextInt(max);
        java.util.TreeSet<Integer> s = new java.util.TreeSet<>();
        while (s.size() < size) {
            s.add(r.nextInt(n));
        }
        return new ArrayList<>(s);
    }
}
