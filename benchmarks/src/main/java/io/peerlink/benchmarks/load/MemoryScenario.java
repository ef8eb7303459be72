package io.peerlink.benchmarks.load;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 2: memory per idle authenticated link. One target; after a warm-up of 64 links opened and closed, the
 * 0-link baseline (heap after GC, RSS, pooled direct memory); then links are added level by level from
 * {@link HoldMain} processes of at most {@code perProcess} links each, and each level is measured the same way.
 * Per link = (level figure - baseline) / links. The target's heartbeat stays on (1 s pings, answered).
 *
 * <pre>{@code
 * MemoryScenario.run(settings, results);
 * }</pre>
 */
final class MemoryScenario {
    private static final int WARM = 64;
    private static final List<String> HOLDER_JVM = List.of(
            "-Xms32m",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dio.netty.leakDetection.level=disabled");

    private static final List<String> TLS_HOLDER_JVM = List.of(
            "-Xms64m",
            "-Xmx1g",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dio.netty.leakDetection.level=disabled");

    private MemoryScenario() {}

    static void run(Settings s, Results r) throws Exception {
        for (String security : s.security) {
            run(s, r, security.equalsIgnoreCase("tls"));
        }
    }

    /**
     * One mode; the TLS figures' variants start with {@code tls-} ({@code tls-links=15000}), the plaintext ones keep
     * their names ({@code links=15000}).
     */
    private static void run(Settings s, Results r, boolean tls) throws Exception {
        String prefix = tls ? "tls-" : "";
        int max = s.levels.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<ChildJvm> holders = new ArrayList<>();
        try (Target t = Target.peerlink(s, "OFFLOAD", max + WARM, tls ? "tls" : "plaintext")) {
            try (LeanClient warm = new LeanClient(1, t.nodeId(), tls)) {
                // a few at a time: on a loaded machine 64 at once can miss the 2 s handshake deadline
                for (int i = 0; i < WARM; i += 8) {
                    List<CompletableFuture<Channel>> links = new ArrayList<>();
                    for (int j = i; j < i + 8; j++) {
                        links.add(warm.connect(t.port(), max + j, true));
                    }
                    for (CompletableFuture<Channel> f : links) {
                        try {
                            LeanClient.goodbye(f.get(30, TimeUnit.SECONDS)).get(10, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.ExecutionException e) {
                            // a warm-up link that failed warms up nothing; the baseline is taken after all of them
                        }
                    }
                }
            }
            awaitLinks(t, 0, 0, Duration.ofSeconds(15));
            Thread.sleep(1000);
            String base = t.gc();
            long heap0 = ChildJvm.field(base, "heap");
            long rss0 = ChildJvm.field(base, "rss");
            long direct0 = ChildJvm.field(base, "direct");
            r.add(
                    "idle-memory",
                    "baseline_heap_bytes",
                    prefix + "links=0",
                    heap0,
                    "B",
                    Map.of("rss", rss0, "direct", direct0));
            int held = 0;
            for (int level : s.levels.stream().sorted().toList()) {
                int errors = 0;
                while (held < level) {
                    // a TLS holder keeps one client context (key, certificate, BoringSSL context) per identity: at
                    // 5,000 per 512 MiB process the 15k level lost links, so TLS holders take half as many, with more
                    // heap
                    int n = Math.min(tls ? Math.max(1, s.perProcess / 2) : s.perProcess, level - held);
                    ChildJvm h = ChildJvm.start(
                            tls ? TLS_HOLDER_JVM : HOLDER_JVM,
                            HoldMain.class,
                            List.of(
                                    String.valueOf(t.port()),
                                    t.id(),
                                    String.valueOf(held),
                                    String.valueOf(n),
                                    tls ? "tls" : "plaintext"));
                    holders.add(h);
                    String[] parts = h.expect("HELD ", Duration.ofSeconds(tls ? 420 : 200))
                            .trim()
                            .split(" ");
                    errors += Integer.parseInt(parts[1]);
                    held += n;
                }
                int links = awaitLinks(t, level, level - errors, Duration.ofSeconds(60));
                Thread.sleep(3000);
                String now = t.gc();
                links = (int) ChildJvm.field(now, "links");
                if (links <= 0) {
                    throw new IllegalStateException("no links at level " + level);
                }
                long heap = ChildJvm.field(now, "heap");
                long rss = ChildJvm.field(now, "rss");
                long direct = ChildJvm.field(now, "direct");
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("links", links);
                d.put("links_asked", level);
                d.put("dial_errors", errors);
                d.put("heap_after_gc", heap);
                d.put("heap_baseline", heap0);
                d.put("rss", rss);
                d.put("rss_baseline", rss0);
                d.put("direct", direct);
                d.put("holder_processes", holders.size());
                r.add(
                        "idle-memory",
                        "heap_bytes_per_link",
                        prefix + "links=" + level,
                        (heap - heap0) / (double) links,
                        "B",
                        d);
                r.add(
                        "idle-memory",
                        "rss_bytes_per_link",
                        prefix + "links=" + level,
                        (rss - rss0) / (double) links,
                        "B",
                        Map.of("links", links));
                r.add(
                        "idle-memory",
                        "direct_bytes_per_link",
                        prefix + "links=" + level,
                        (direct - direct0) / (double) links,
                        "B",
                        Map.of("links", links));
            }
        } finally {
            holders.forEach(ChildJvm::close);
        }
    }

    /** Polls the target's link count until it reaches {@code want} (or at least {@code floor} when time is up). */
    private static int awaitLinks(Target t, int want, int floor, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int links;
        while ((links = t.links()) != want && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        if (links != want && (want == 0 || links < floor / 2)) {
            throw new IllegalStateException("target holds " + links + " links, expected " + want);
        }
        if (links < floor) {
            // on a loaded machine some held links miss their heartbeats and are dropped; the level is measured with
            // the links there are (the per-link figures divide by them, and the details name the shortfall)
            System.out.println("SHORT target holds " + links + " links of " + want);
        }
        return links;
    }
}
