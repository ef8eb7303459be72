package io.peerlink.sim;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.config.NodeConfig;
import io.peerlink.protocol.manager.ManagerSettings;
import io.peerlink.protocol.manager.Rules;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What to simulate.
 *
 * <pre>{@code
 * SimOptions o = SimOptions.builder().validators(100).nodes(1000).duration(Duration.ofMinutes(10)).seed(7).build();
 * SimResult r = new Simulation(o).run();
 * }</pre>
 *
 * @param nodes all nodes, validators included (the rest alternate observer and gateway)
 * @param faults the kinds of fault the random schedule draws from (empty: none)
 * @param schedule a fixed fault schedule instead of a random one (replaying a shrunk failure), or null
 * @param config the node settings every node runs with (role, addresses and seeds are set per node)
 * @param attachTo how many validators each gateway and observer keeps links to at least, seeds included (the
 *     transport's {@code attach-to}; default 2)
 * @param meshBound how long after the last fault heals the mesh must be complete
 * @param restartBound how soon after a validator restarts it must be linked (with its new incarnation) to each
 *     validator it names as a seed that stayed up and reachable; default 1 s + the handshake timeout
 * @param rules the manager's rules (the planted bugs of the tests); production's by default
 */
public record SimOptions(
        int validators,
        int nodes,
        Duration duration,
        long seed,
        Set<Fault.Kind> faults,
        @Nullable List<Fault> schedule,
        NodeConfig config,
        int seedsPerNode,
        int attachTo,
        int minLatencyMillis,
        int maxLatencyMillis,
        Duration meshBound,
        Duration restartBound,
        int maxDialsPerNodePerSecond,
        int maxDialsPerTargetPerSecond,
        Rules rules) {

    public SimOptions {
        if (validators < 2) {
            throw new IllegalArgumentException("validators: " + validators + " (expected: >= 2)");
        }
        if (nodes < validators) {
            throw new IllegalArgumentException("nodes: " + nodes + " (expected: >= validators " + validators + ")");
        }
        requireNonNull(duration, "duration");
        if (duration.toMillis() < 1000) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: >= 1s)");
        }
        faults = faults.isEmpty() ? EnumSet.noneOf(Fault.Kind.class) : EnumSet.copyOf(faults);
        schedule = schedule == null ? null : List.copyOf(schedule);
        requireNonNull(config, "config");
        if (seedsPerNode < 1) {
            throw new IllegalArgumentException("seedsPerNode: " + seedsPerNode + " (expected: >= 1)");
        }
        if (attachTo < 0) {
            throw new IllegalArgumentException("attachTo: " + attachTo + " (expected: >= 0)");
        }
        if (minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis) {
            throw new IllegalArgumentException(
                    "latency: " + minLatencyMillis + ".." + maxLatencyMillis + " ms (expected: 0 <= min <= max)");
        }
        requireNonNull(meshBound, "meshBound");
        requireNonNull(restartBound, "restartBound");
        requireNonNull(rules, "rules");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .validators(validators)
                .nodes(nodes)
                .duration(duration)
                .seed(seed)
                .faults(faults)
                .schedule(schedule)
                .config(config)
                .seedsPerNode(seedsPerNode)
                .attachTo(attachTo)
                .latency(minLatencyMillis, maxLatencyMillis)
                .meshBound(meshBound)
                .restartBound(restartBound)
                .maxDials(maxDialsPerNodePerSecond, maxDialsPerTargetPerSecond)
                .rules(rules);
    }

    /** The command line that replays this run (without planted rules, which only tests set). */
    public String replayCommand() {
        StringBuilder b = new StringBuilder("peerlink simulate --validators ")
                .append(validators)
                .append(" --nodes ")
                .append(nodes)
                .append(" --duration ")
                .append(duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms")
                .append(" --seed ")
                .append(seed);
        if (seedsPerNode != 3) {
            b.append(" --seeds-per-node ").append(seedsPerNode);
        }
        if (attachTo != ManagerSettings.DEFAULT_ATTACH_TO) {
            b.append(" --attach-to ").append(attachTo);
        }
        if (!meshBound.equals(Duration.ofSeconds(180))) {
            b.append(" --mesh-bound ").append(meshBound.toMillis()).append("ms");
        }
        if (!faults.equals(EnumSet.of(
                Fault.Kind.PARTITION,
                Fault.Kind.ONE_WAY,
                Fault.Kind.KILL,
                Fault.Kind.FLAP,
                Fault.Kind.SLOW,
                Fault.Kind.LOSS,
                Fault.Kind.REVOKE,
                Fault.Kind.DUAL_DIAL))) {
            b.append(" --faults ");
            if (faults.isEmpty()) {
                b.append("none");
            } else {
                b.append(String.join(",", faults.stream().map(Fault.Kind::text).toList()));
            }
        }
        return b.toString();
    }

    /** Mutable builder with the defaults: all faults, 3 seeds per node, 1-40 ms latency, mesh bound 180 s. */
    public static final class Builder {
        private int validators = 10;
        private int nodes = 30;
        private Duration duration = Duration.ofMinutes(3);
        private long seed = 1;
        private Set<Fault.Kind> faults = EnumSet.allOf(Fault.Kind.class);
        private @Nullable List<Fault> schedule;
        private NodeConfig config = NodeConfig.builder().build();
        private int seedsPerNode = 3;
        private int attachTo = ManagerSettings.DEFAULT_ATTACH_TO;
        private int minLatency = 1;
        private int maxLatency = 40;
        private Duration meshBound = Duration.ofSeconds(180);
        private @Nullable Duration restartBound;
        private int maxDialsPerNode = -1;
        private int maxDialsPerTarget = 8;
        private Rules rules = Rules.STANDARD;

        Builder() {}

        public Builder validators(int v) {
            this.validators = v;
            return this;
        }

        public Builder nodes(int n) {
            this.nodes = n;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = requireNonNull(d, "duration");
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder faults(Set<Fault.Kind> f) {
            this.faults = f.isEmpty() ? EnumSet.noneOf(Fault.Kind.class) : EnumSet.copyOf(f);
            return this;
        }

        public Builder schedule(@Nullable List<Fault> s) {
            this.schedule = s;
            return this;
        }

        public Builder config(NodeConfig c) {
            this.config = requireNonNull(c, "config");
            return this;
        }

        public Builder seedsPerNode(int n) {
            this.seedsPerNode = n;
            return this;
        }

        public Builder attachTo(int n) {
            this.attachTo = n;
            return this;
        }

        public Builder latency(int minMillis, int maxMillis) {
            this.minLatency = minMillis;
            this.maxLatency = maxMillis;
            return this;
        }

        public Builder meshBound(Duration b) {
            this.meshBound = requireNonNull(b, "meshBound");
            return this;
        }

        /** @param perNode dials per node per virtual second at most (-1: 4 × validators + 16: every address of every validator, twice) */
        public Builder maxDials(int perNode, int perTarget) {
            this.maxDialsPerNode = perNode;
            this.maxDialsPerTarget = perTarget;
            return this;
        }

        /** How soon a restarted validator must be linked to its live, reachable seeds (null: the default). */
        public Builder restartBound(@Nullable Duration b) {
            this.restartBound = b;
            return this;
        }

        public Builder rules(Rules r) {
            this.rules = requireNonNull(r, "rules");
            return this;
        }

        public SimOptions build() {
            return new SimOptions(
                    validators,
                    nodes,
                    duration,
                    seed,
                    faults,
                    schedule,
                    config,
                    seedsPerNode,
                    attachTo,
                    minLatency,
                    maxLatency,
                    meshBound,
                    restartBound != null
                            ? restartBound
                            : Duration.ofSeconds(1).plus(config.timeouts().handshake()),
                    maxDialsPerNode < 0 ? 4 * validators + 16 : maxDialsPerNode,
                    maxDialsPerTarget,
                    rules);
        }
    }
}
