package io.peerlink.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts and durations of a load generator run, from the command line; {@code --smoke} shrinks every default so
 * that all scenarios together take well under a minute.
 *
 * <pre>{@code
 * Settings s = Settings.parse(new String[] {"handshakes", "--duration", "10"});
 * }</pre>
 */
final class Settings {
    List<String> scenarios = new ArrayList<>();
    boolean smoke;
    Duration warmup = Duration.ofSeconds(2);
    Duration window = Duration.ofSeconds(10);
    int concurrency = 64;
    List<Integer> levels = List.of(1000, 5000, 15000);
    int perProcess = 5000;
    List<Integer> links = List.of(1, 100);
    /** Messages per {@code sendAll} call in the throughput scenario; 1 means {@code send} per message (one link). */
    List<Integer> batches = List.of(64, 1);

    List<Integer> mesh = List.of(16, 32, 64);
    /** Whether the nodes living in the generator JVM (mesh, dialers) share one {@code NetworkResources}. */
    boolean sharedRuntime = true;
    /** Socket implementation of the target node: AUTO, EPOLL, IO_URING or NIO (the generator's side stays AUTO). */
    String transport = "AUTO";

    int rttIterations = 10_000;
    List<String> placements = List.of("EVENT_LOOP", "OFFLOAD");
    /**
     * {@code TARGET_CPUS:DIALER_CPUS} (taskset lists, e.g. {@code 0:1}): the handshake scenario also runs with the
     * target pinned to the first and the generator (dialers) to the second, or null for no such run.
     */
    @org.jspecify.annotations.Nullable
    String pin;

    /** Link protection modes measured by the handshake, idle-memory and throughput scenarios. */
    List<String> security = List.of("plaintext", "tls");

    Path out = Path.of("benchmarks/target/load-result.json");
    Path work = Path.of("benchmarks/target/load-work");
    List<String> targetJvm =
            new ArrayList<>(List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC", "-Dio.netty.leakDetection.level=disabled"));
    List<String> extraTargetJvm = new ArrayList<>();

    static final List<String> ALL = List.of("handshakes", "idle-memory", "throughput", "rtt", "mesh");

    static Settings parse(String[] args) {
        Settings s = new Settings();
        boolean warmupSet = false;
        boolean windowSet = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                s.scenarios.addAll(a.equals("all") ? ALL : Arrays.asList(a.split(",")));
                continue;
            }
            if (a.equals("--smoke")) {
                s.smoke = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(a + " needs a value");
            }
            String v = args[++i];
            switch (a) {
                case "--warmup" -> {
                    s.warmup = seconds(v);
                    warmupSet = true;
                }
                case "--duration" -> {
                    s.window = seconds(v);
                    windowSet = true;
                }
                case "--concurrency" -> s.concurrency = Integer.parseInt(v);
                case "--levels" -> s.levels = ints(v);
                case "--per-process" -> s.perProcess = Integer.parseInt(v);
                case "--links" -> s.links = ints(v);
                case "--batches" -> s.batches = ints(v);
                case "--mesh" -> s.mesh = ints(v);
                case "--runtime" ->
                    s.sharedRuntime = switch (v) {
                        case "shared" -> true;
                        case "per-node" -> false;
                        default ->
                            throw new IllegalArgumentException("--runtime " + v + " (expected: shared, per-node)");
                    };
                case "--transport" ->
                    s.transport = io.peerlink.transport.NetworkOptions.NativeTransport.valueOf(
                                    v.toUpperCase(java.util.Locale.ROOT))
                            .name();
                case "--rtt-iterations" -> s.rttIterations = Integer.parseInt(v);
                case "--placements" -> s.placements = List.of(v.split(","));
                case "--security" -> s.security = List.of(v.split(","));
                case "--pin" -> {
                    if (!v.matches("[0-9,-]+:[0-9,-]+")) {
                        throw new IllegalArgumentException(
                                "--pin " + v + " (expected: TARGET_CPUS:DIALER_CPUS, e.g. 0:1)");
                    }
                    s.pin = v;
                }
                case "--out" -> s.out = Path.of(v);
                case "--work" -> s.work = Path.of(v);
                case "--target-jvm" -> s.extraTargetJvm.addAll(List.of(v.trim().split("\\s+")));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (s.scenarios.isEmpty()) {
            s.scenarios.addAll(ALL);
        }
        for (String sc : s.scenarios) {
            if (!ALL.contains(sc)) {
                throw new IllegalArgumentException("unknown scenario '" + sc + "' (expected: " + ALL + " or all)");
            }
        }
        if (s.smoke) {
            if (!warmupSet) {
                s.warmup = Duration.ofMillis(500);
            }
            if (!windowSet) {
                s.window = Duration.ofMillis(1000);
            }
            s.concurrency = Math.min(s.concurrency, 8);
            s.levels = List.of(200);
            s.links = List.of(1, 4);
            s.mesh = List.of(8);
            s.rttIterations = 300;
            if (s.out.equals(Path.of("benchmarks/target/load-result.json"))) {
                s.out = Path.of("benchmarks/target/load-smoke.json");
            }
        }
        s.targetJvm.addAll(s.extraTargetJvm);
        return s;
    }

    private static Duration seconds(String v) {
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }

    private static List<Integer> ints(String v) {
        return Arrays.stream(v.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
    }
}
