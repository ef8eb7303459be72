package io.peerlink.benchmarks.load;

import io.peerlink.benchmarks.crypto.HandshakeCrypto;
import io.peerlink.core.identity.Ed25519;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.protocol.handshake.Transcript;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Scenario 1: authenticated handshakes per second with {@code concurrency} closed loops of connect + identify +
 * mutual challenge-response + close, against a target with crypto on the event loop and offloaded; baselines in the
 * same run: the crypto-bound limit (2 signs + 2 verifies per handshake on every core) and raw Netty connect + one
 * echoed message + close with the same transport.
 *
 * <pre>{@code
 * HandshakeScenario.run(settings, results);
 * }</pre>
 */
final class HandshakeScenario {
    /** Handshakes per client identity before the warm-up starts (see {@link #peerlink}). */
    static final int PRIME_PER_POOL = 2;

    private static final java.time.Duration PRIME_CAP = java.time.Duration.ofSeconds(90);

    private HandshakeScenario() {}

    static void run(Settings s, Results r) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        CryptoBound crypto = cryptoBound(s, cores);
        r.add(
                "handshakes",
                "crypto_bound_per_s",
                "2sign+2verify",
                crypto.perSecond(),
                "1/s",
                Map.of(
                        "threads",
                        cores,
                        "cpu_us_per_handshake",
                        Math.round(crypto.cpuMicros() * 10) / 10.0,
                        "note",
                        "Ed25519 via core.identity.Ed25519 (BouncyCastle): sign with the known public key, "
                                + "as NodeIdentity does; all cores"));

        try (Target t = Target.raw(s);
                RawClient client = new RawClient(cores)) {
            CpuMeter cpu = new CpuMeter(t.jvm().pid());
            ClosedLoop.Outcome o = ClosedLoop.run(
                    s.concurrency,
                    s.warmup,
                    s.window,
                    () -> {
                        long t0 = System.nanoTime();
                        return client.connectEcho(t.port()).thenApply(v -> System.nanoTime() - t0);
                    },
                    cpu::start,
                    cpu::stop);
            Map<String, Object> d = details(o, s);
            d.putAll(cpu.perOperation(o.completed()));
            r.add("handshakes", "connects_per_s", "raw-netty", o.rate(), "1/s", d);
        }

        int pool = Math.max(1024, s.concurrency * 16);
        for (String security : s.security) {
            for (String placement : s.placements) {
                peerlink(s, r, crypto, security, placement, pool, cores, null);
            }
        }
        if (s.pin != null) {
            // second configuration: the target on its own core(s), the dialers on the others
            String[] cpus = s.pin.split(":", 2);
            pinSelf(cpus[1]);
            try {
                for (String security : s.security) {
                    peerlink(s, r, crypto, security, "OFFLOAD", pool, cpuCount(cpus[1]), cpus[0]);
                }
            } finally {
                pinSelf("0-" + (cores - 1));
            }
        }
    }

    /**
     * One measured configuration: a fresh target, primed with {@link #PRIME_PER_POOL} handshakes per client
     * identity (each identity's certificate then has been seen once, as between nodes that already know each other,
     * and the JIT has compiled the variant's own paths), then the warm-up and the window.
     *
     * @param targetCpus the cores the target is pinned to ({@code taskset -c}), or null for no pinning
     */
    private static void peerlink(
            Settings s,
            Results r,
            CryptoBound crypto,
            String security,
            String placement,
            int pool,
            int dialerThreads,
            @Nullable String targetCpus)
            throws Exception {
        boolean tls = security.equalsIgnoreCase("tls");
        try (Target t = Target.peerlink(s, placement, pool, security, targetCpus);
                LeanClient client = new LeanClient(dialerThreads, t.nodeId(), tls)) {
            for (int i = 0; i < pool; i++) {
                client.peer(i); // derive the keys before the clock starts
            }
            AtomicInteger next = new AtomicInteger();
            java.util.function.Supplier<java.util.concurrent.CompletableFuture<Long>> op = () -> {
                int index = next.getAndIncrement() % pool;
                long t0 = System.nanoTime();
                return client.connect(t.port(), index, false).thenCompose(ch -> {
                    long latency = System.nanoTime() - t0;
                    return LeanClient.goodbye(ch).thenApply(v -> latency);
                });
            };
            // a smoke run (CI, bounded to 150 s) only checks that every path works: no priming
            long primed = s.smoke ? 0 : ClosedLoop.prime(s.concurrency, (long) PRIME_PER_POOL * pool, PRIME_CAP, op);
            CpuMeter cpu = new CpuMeter(t.jvm().pid());
            ClosedLoop.Outcome o = ClosedLoop.run(s.concurrency, s.warmup, s.window, op, cpu::start, cpu::stop);
            if (o.completed() == 0) {
                throw new IllegalStateException("no handshake completed with " + placement + ": " + o.firstError());
            }
            String variant = "peerlink-" + placement + (tls ? "-tls" : "") + (targetCpus != null ? "-pinned" : "");
            Map<String, Object> d = details(o, s);
            d.put("primed", primed);
            if (targetCpus != null) {
                d.put("target_cpus", targetCpus);
                d.put("dialer_threads", dialerThreads);
            }
            Map<String, Object> perOp = cpu.perOperation(o.completed());
            d.putAll(perOp);
            r.add("handshakes", "handshakes_per_s", variant, o.rate(), "1/s", d);
            // what share of the crypto-bound rate the whole system (dialers + target) would reach if the cores
            // were its own: crypto CPU per handshake / measured CPU per handshake of both processes
            double total = cpu.totalMicrosPerOperation(o.completed());
            double withoutJit = cpu.totalWithoutJitMicrosPerOperation(o.completed());
            r.add(
                    "handshakes",
                    "cpu_efficiency",
                    variant,
                    crypto.cpuMicros() / total,
                    "ratio",
                    Map.of(
                            "crypto_cpu_us_per_handshake",
                            Math.round(crypto.cpuMicros() * 10) / 10.0,
                            "total_cpu_us_per_handshake",
                            Math.round(total * 10) / 10.0,
                            "total_cpu_us_per_handshake_without_jit",
                            Math.round(withoutJit * 10) / 10.0,
                            "ratio_without_jit",
                            Math.round(crypto.cpuMicros() / withoutJit * 1000) / 1000.0));
            // a validator's capacity: the target's own CPU per handshake against its share of the crypto (1 sign
            // + 1 verify, half of the 2 + 2 of the crypto-bound baseline)
            double targetCpu = perOp.get("target_cpu_us_per_op") instanceof Number c ? c.doubleValue() : Double.NaN;
            double targetJit = perOp.get("target_jit_us_per_op") instanceof Number n ? n.doubleValue() : 0;
            double targetCrypto = crypto.cpuMicros() / 2;
            r.add(
                    "handshakes",
                    "target_cpu_vs_crypto",
                    variant,
                    (targetCpu - targetJit) / targetCrypto,
                    "ratio",
                    Map.of(
                            "target_cpu_us_per_handshake",
                            targetCpu,
                            "target_cpu_us_per_handshake_without_jit",
                            Math.round((targetCpu - targetJit) * 10) / 10.0,
                            "target_crypto_cpu_us_per_handshake",
                            Math.round(targetCrypto * 10) / 10.0,
                            "note",
                            "target CPU (no JIT) / (1 Ed25519 sign + 1 verify)"));
        }
    }

    /** Pins every thread of this JVM (and the threads it makes later) to {@code cpus}, as {@code taskset -a}. */
    private static void pinSelf(String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        "taskset",
                        "-a",
                        "-p",
                        "-c",
                        cpus,
                        String.valueOf(ProcessHandle.current().pid()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("taskset -a -p -c " + cpus + " failed (is util-linux installed?)");
        }
    }

    /** Cores in a {@code taskset -c} list such as {@code 1}, {@code 0,2} or {@code 1-3}. */
    static int cpuCount(String list) {
        int n = 0;
        for (String part : list.split(",")) {
            String[] range = part.strip().split("-");
            n += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return Math.max(1, n);
    }

    private static Map<String, Object> details(ClosedLoop.Outcome o, Settings s) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("concurrency", s.concurrency);
        d.put("completed", o.completed());
        d.put("errors", o.errors());
        d.put("window_s", o.windowSeconds());
        d.put("p50_ms", o.percentileMillis(50));
        d.put("p90_ms", o.percentileMillis(90));
        d.put("p99_ms", o.percentileMillis(99));
        if (!o.firstError().isEmpty()) {
            d.put("first_error", o.firstError());
        }
        return d;
    }

    /** Handshake crypto per second on all threads, and the CPU time it takes per handshake on one thread. */
    record CryptoBound(double perSecond, double cpuMicros) {}

    /** Handshake crypto (2 signs + 2 verifies over realistic transcripts) per second on {@code threads} threads. */
    static CryptoBound cryptoBound(Settings s, int threads) throws InterruptedException {
        SecureRandom random = new SecureRandom();
        NodeIdentity a = LoadKeys.identity(1_000_001);
        NodeIdentity b = LoadKeys.identity(1_000_002);
        byte[] ca = new byte[32];
        byte[] cb = new byte[32];
        random.nextBytes(ca);
        random.nextBytes(cb);
        Transcript.Parties parties =
                new Transcript.Parties(ca, cb, a.id(), b.id(), 3, 1, "", "127.0.0.1:40000", new byte[0]);
        byte[] ti = Transcript.bytes(Transcript.INITIATOR_PROOF, parties);
        byte[] tr = Transcript.bytes(Transcript.RESPONDER_PROOF, parties);
        byte[] ka = Ed25519.generatePrivateKey(random);
        byte[] kb = Ed25519.generatePrivateKey(random);
        long from = System.nanoTime() + s.warmup.toNanos();
        long end = from + s.window.toNanos();
        AtomicLong total = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(
                    () -> {
                        HandshakeCrypto crypto = new HandshakeCrypto(ka, kb, ti, tr);
                        long counted = 0;
                        long cpuFrom = -1;
                        long now;
                        while ((now = System.nanoTime()) < end) {
                            if (now >= from && cpuFrom < 0) {
                                cpuFrom = mx.getCurrentThreadCpuTime();
                            }
                            if (!crypto.run()) {
                                throw new IllegalStateException("signature did not verify");
                            }
                            if (now >= from) {
                                counted++;
                            }
                        }
                        if (cpuFrom >= 0) {
                            cpuNanos.addAndGet(mx.getCurrentThreadCpuTime() - cpuFrom);
                        }
                        total.addAndGet(counted);
                    },
                    "crypto-bound-" + i);
            workers[i].start();
        }
        for (Thread w : workers) {
            w.join(s.warmup.plus(s.window).toMillis() + 30_000);
        }
        return new CryptoBound(total.get() / (s.window.toNanos() / 1e9), cpuNanos.get() / 1e3 / total.get());
    }
}
