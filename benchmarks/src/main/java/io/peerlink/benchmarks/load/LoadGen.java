package io.peerlink.benchmarks.load;

import java.nio.file.Files;

/**
 * The load generator's command line. Runs scenarios against a target node in its own JVM ({@link TargetMain}),
 * each bounded in time and count, and all traffic on 127.0.0.1; prints one {@code RESULT} line per figure and
 * writes them all as JSON for {@code LoadReport}. Exits non-zero if a scenario fails.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.peerlink.benchmarks.load.LoadGen all
 * java -cp benchmarks/target/benchmarks.jar io.peerlink.benchmarks.load.LoadGen handshakes --duration 10
 * java -cp benchmarks/target/benchmarks.jar io.peerlink.benchmarks.load.LoadGen --smoke
 * }</pre>
 *
 * Scenarios: {@code handshakes}, {@code idle-memory}, {@code throughput}, {@code rtt}, {@code mesh}, {@code all}.
 * Options: {@code --smoke}, {@code --warmup S}, {@code --duration S}, {@code --concurrency N},
 * {@code --levels 1000,5000,15000}, {@code --per-process N}, {@code --links 1,100}, {@code --mesh 16,32,64},
 * {@code --rtt-iterations N}, {@code --placements EVENT_LOOP,OFFLOAD}, {@code --target-jvm "flags"},
 * {@code --runtime shared|per-node} (generator-side nodes), {@code --transport AUTO|EPOLL|IO_URING|NIO},
 * {@code --out FILE}, {@code --work DIR}.
 */
public final class LoadGen {
    private LoadGen() {}

    public static void main(String[] args) throws Exception {
        Settings s;
        try {
            s = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGen: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(s.work);
        Results results = new Results(args);
        results.meta("smoke", s.smoke);
        results.meta("targetTransport", s.transport);
        results.meta("generatorRuntime", s.sharedRuntime ? "shared" : "per-node");
        results.meta("targetJvmFlags", s.targetJvm);
        results.meta("warmupSeconds", s.warmup.toMillis() / 1000.0);
        results.meta("windowSeconds", s.window.toMillis() / 1000.0);
        results.meta("primedHandshakesPerIdentity", HandshakeScenario.PRIME_PER_POOL);
        if (s.pin != null) {
            results.meta("pin", s.pin);
        }
        int failures = 0;
        long started = System.nanoTime();
        for (String scenario : s.scenarios) {
            long t0 = System.nanoTime();
            System.out.println("== " + scenario);
            try {
                switch (scenario) {
                    case "handshakes" -> HandshakeScenario.run(s, results);
                    case "idle-memory" -> MemoryScenario.run(s, results);
                    case "throughput" -> TrafficScenario.throughput(s, results);
                    case "rtt" -> TrafficScenario.rtt(s, results);
                    case "mesh" -> MeshScenario.run(s, results);
                    default -> throw new IllegalStateException(scenario);
                }
            } catch (Exception | AssertionError e) {
                failures++;
                System.out.println("FAILED " + scenario + ": " + e);
                e.printStackTrace();
                results.meta("failed:" + scenario, String.valueOf(e));
            }
            System.out.printf("== %s took %.1f s%n", scenario, (System.nanoTime() - t0) / 1e9);
        }
        results.meta("totalSeconds", (System.nanoTime() - started) / 1e9);
        results.write(s.out);
        System.out.println(failures == 0 ? "OK" : "FAILED " + failures + " scenario(s)");
        System.exit(failures == 0 ? 0 : 1);
    }
}
