package io.peerlink.node.cli;

import io.peerlink.node.config.ConfigLoader;
import io.peerlink.node.config.Durations;
import io.peerlink.node.config.Overrides;
import io.peerlink.node.config.RunConfig;
import io.peerlink.sim.Fault;
import io.peerlink.sim.Report;
import io.peerlink.sim.Shrinker;
import io.peerlink.sim.SimOptions;
import io.peerlink.sim.SimResult;
import io.peerlink.sim.Simulation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code peerlink simulate}: runs the deterministic simulator (the production connection manager and handshake,
 * virtual time, seeded faults) and ends with
 * {@code seed=<S> nodes=<N> virtual=<T> wall=<W> trace=<hex> invariants=ok|violated:<name>}.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Simulate a network in virtual time with random faults and check its invariants.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--validators", defaultValue = "100", description = "Validators (default: ${DEFAULT-VALUE}).")
    int validators;

    @Option(
            names = "--nodes",
            defaultValue = "1000",
            description = "All nodes, validators included (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--duration",
            defaultValue = "10m",
            description = "Virtual time, e.g. 90s, 10m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the run (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--faults",
            defaultValue = "all",
            description = "Fault kinds: all, none, or a comma list of partition, one-way, kill, flap, slow, loss,"
                    + " revoke, dual-dial (default: ${DEFAULT-VALUE}).")
    String faults;

    @Option(
            names = "--mesh-bound",
            defaultValue = "180s",
            description = "Mesh complete this long after the last fault heals (default: ${DEFAULT-VALUE}).")
    String meshBound;

    @Option(
            names = "--seeds-per-node",
            defaultValue = "3",
            description = "Seeds each node is given, drawn among the validators (default: ${DEFAULT-VALUE}).")
    int seedsPerNode;

    @Option(
            names = "--attach-to",
            paramLabel = "N",
            description = "Validators each gateway and observer keeps links to at least, seeds included"
                    + " (default: the config file's attach-to, else 2).")
    @Nullable
    Integer attachTo;

    @Option(names = "--config", paramLabel = "FILE", description = "Simulate with this node config file's settings.")
    @Nullable
    Path config;

    @Option(names = "--report", paramLabel = "FILE", description = "Write an HTML report of the run.")
    @Nullable
    Path report;

    @Option(names = "--shrink", description = "On a violation, shrink the fault schedule and print it.")
    boolean shrink;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SimOptions.Builder b = SimOptions.builder()
                .validators(validators)
                .nodes(nodes)
                .duration(duration("--duration", duration))
                .meshBound(duration("--mesh-bound", meshBound))
                .seed(seed)
                .seedsPerNode(seedsPerNode)
                .faults(kinds(faults));
        if (config != null) {
            RunConfig loaded = ConfigLoader.load(config, Overrides.none());
            b.config(loaded.node().toBuilder().seeds(List.of()).build());
            b.attachTo(loaded.settings().attachTo());
        }
        if (attachTo != null) {
            b.attachTo(attachTo);
        }
        SimOptions options;
        try {
            options = b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        out.println("simulating " + options.validators() + " validators, " + options.nodes() + " nodes, "
                + options.duration().toSeconds() + " s of virtual time, seed " + options.seed());
        out.flush();
        SimResult r = new Simulation(options)
                .progress(
                        line -> {
                            out.println(line);
                            out.flush();
                        },
                        Math.max(10_000, options.duration().toMillis() / 10))
                .run();
        out.println(String.format(
                Locale.ROOT,
                "speed: %.1f virtual s per wall s; %d events, %d checks, %d dials",
                r.speed(),
                r.events(),
                r.checks(),
                r.dials()));
        if (report != null) {
            Report.write(r, report);
            out.println("report: " + report);
        }
        if (r.violation() != null) {
            out.println("violation: " + r.violation().invariant() + " at "
                    + r.violation().atMillis() + " ms: " + r.violation().detail());
            out.println("replay: " + options.replayCommand());
            if (shrink) {
                List<Fault> s =
                        Shrinker.shrink(options, r.schedule(), r.violation().invariant());
                out.println(
                        "shrunk schedule (" + s.size() + " of " + r.schedule().size() + " faults): " + s);
            }
        }
        out.println(r.summary());
        out.flush();
        return r.ok() ? 0 : 1;
    }

    private Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage(), e);
        }
    }

    private Set<Fault.Kind> kinds(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return EnumSet.allOf(Fault.Kind.class);
        }
        if (t.equals("none")) {
            return EnumSet.noneOf(Fault.Kind.class);
        }
        Set<Fault.Kind> out = EnumSet.noneOf(Fault.Kind.class);
        for (String part : t.split(",", -1)) {
            Fault.Kind found = null;
            for (Fault.Kind k : Fault.Kind.values()) {
                if (k.text().equals(part.strip())) {
                    found = k;
                }
            }
            if (found == null) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--faults: unknown fault '" + part.strip()
                                + "' (expected: all, none, or partition, one-way, kill, flap, slow, loss, revoke, dual-dial)");
            }
            out.add(found);
        }
        return out;
    }
}
