package io.peerlink.benchmarks.load;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Scenarios 3 and 4. Throughput: 64-byte application payloads pushed with {@code Network.send} (waiting whenever
 * the link's write buffer is above its high-water mark) over 1 and over 100 links, counted by the target's
 * {@code receive()} subscriber; baseline: raw Netty pushing the same 64-byte payloads in varint32 frames to a raw
 * server that counts frames. Round trip: one small message echoed by the target with {@code send}, sequentially.
 *
 * <pre>{@code
 * TrafficScenario.throughput(settings, results);
 * TrafficScenario.rtt(settings, results);
 * }</pre>
 */
final class TrafficScenario {
    static final int PAYLOAD_BYTES = 64;
    /** Frames per flush of the raw client, and the default {@code sendAll} batch of the peerlink senders. */
    static final int BATCH = 64;

    private TrafficScenario() {}

    static void throughput(Settings s, Results r) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int links : s.links) {
            Rate raw;
            try (Target t = Target.raw(s);
                    RawClient client = new RawClient(Math.min(cores, links))) {
                List<Channel> chs = client.push(t.port(), links, PAYLOAD_BYTES);
                raw = measure(s, t);
                client.stopPushing();
                chs.forEach(Channel::close);
            }
            Map<String, Object> rd = new LinkedHashMap<>();
            rd.put("links", links);
            rd.put("MB_per_s", raw.perSecond() * PAYLOAD_BYTES / 1e6);
            rd.putAll(raw.cpu());
            r.add("throughput", "msgs_per_s", "raw-netty links=" + links, raw.perSecond(), "1/s", rd);

            for (String security : s.security) {
                boolean tls = security.equalsIgnoreCase("tls");
                for (int batch : s.batches) {
                    if (batch > 1 || (links == 1 && !tls)) {
                        pushPeerlink(s, r, links, tls, batch, raw);
                    }
                }
            }
        }
    }

    /**
     * Pushes 64-byte payloads from {@code links} observer nodes to the target: with {@code sendAll} in batches of
     * {@code batch} (by default {@link #BATCH}, as the raw client flushes every 64 frames), or with {@code send} per
     * message when {@code batch} is 1. Senders block on each call, so they wait whenever the link is above its
     * high-water mark.
     */
    private static void pushPeerlink(Settings s, Results r, int links, boolean tls, int batch, Rate raw)
            throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        try (Target t = Target.peerlink(s, "OFFLOAD", Math.max(128, links), tls ? "tls" : "plaintext")) {
            NodeId target = t.nodeId();
            Dialers dialers =
                    dialers(links, target, t.port(), tls ? TransportSecurity.TLS : TransportSecurity.PLAINTEXT, s);
            try {
                ByteString payload = ByteString.copyFrom(new byte[PAYLOAD_BYTES]);
                List<ByteString> payloads = java.util.Collections.nCopies(batch, payload);
                AtomicInteger stop = new AtomicInteger();
                AtomicLong failures = new AtomicLong();
                int threads = Math.min(links, cores);
                List<Thread> senders = new ArrayList<>();
                for (int k = 0; k < threads; k++) {
                    List<Network> mine = new ArrayList<>();
                    for (int i = k; i < links; i += threads) {
                        mine.add(dialers.get(i));
                    }
                    Thread th = new Thread(
                            () -> {
                                while (stop.get() == 0) {
                                    for (Network n : mine) {
                                        try {
                                            if (batch == 1) {
                                                n.send(target, "bench", payload).block(Duration.ofSeconds(10));
                                            } else {
                                                n.sendAll(target, "bench", payloads)
                                                        .block(Duration.ofSeconds(10));
                                            }
                                        } catch (RuntimeException e) {
                                            failures.incrementAndGet();
                                        }
                                    }
                                }
                            },
                            "sender-" + k);
                    th.start();
                    senders.add(th);
                }
                Rate rate = measure(s, t);
                stop.set(1);
                for (Thread th : senders) {
                    th.join(15_000);
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("links", links);
                d.put("sender_threads", threads);
                d.put("batch", batch);
                d.put("MB_per_s", rate.perSecond() * PAYLOAD_BYTES / 1e6);
                d.put("send_failures", failures.get());
                d.put("dialer_runtime", dialers.runtime());
                d.put("ratio_to_raw", rate.perSecond() / raw.perSecond());
                d.putAll(rate.cpu());
                d.put(
                        "cpu_ratio_to_raw",
                        (raw.targetCpuMicros() + raw.senderCpuMicros())
                                / (rate.targetCpuMicros() + rate.senderCpuMicros()));
                String variant = "peerlink" + (tls ? "-tls" : "")
                        + (batch == 1 ? "-send" : batch == BATCH ? "" : "-batch" + batch) + " links=" + links;
                r.add("throughput", "msgs_per_s", variant, rate.perSecond(), "1/s", d);
            } finally {
                dialers.close();
            }
        }
    }

    /**
     * Messages per second the target counted over the window, after the warm-up, and the CPU each side spent per
     * message over that window (the sender side is this JVM, which does nothing else meanwhile).
     */
    private record Rate(
            double perSecond,
            double targetCpuMicros,
            double senderCpuMicros,
            double targetJitMicros,
            double senderJitMicros) {
        Map<String, Object> cpu() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("cpu_us_per_msg_receiver", targetCpuMicros);
            d.put("cpu_us_per_msg_sender", senderCpuMicros);
            // JIT compiler threads, included above: still busy in short windows
            d.put("jit_us_per_msg_receiver", targetJitMicros);
            d.put("jit_us_per_msg_sender", senderJitMicros);
            return d;
        }
    }

    private static Rate measure(Settings s, Target t) throws InterruptedException {
        Thread.sleep(s.warmup.toMillis());
        CpuMeter cpu = new CpuMeter(t.jvm().pid());
        long[] a = t.count();
        cpu.start();
        Thread.sleep(s.window.toMillis());
        long[] b = t.count();
        cpu.stop();
        CpuMeter.PerOperation per = cpu.exactPerOperation(b[0] - a[0]);
        return new Rate(
                (b[0] - a[0]) / ((b[1] - a[1]) / 1e9),
                per.target(),
                per.generator(),
                per.targetJit(),
                per.generatorJit());
    }

    static void rtt(Settings s, Results r) throws Exception {
        try (Target t = Target.peerlink(s, "OFFLOAD", 16)) {
            NodeId target = t.nodeId();
            Dialers dialers = dialers(1, target, t.port(), TransportSecurity.PLAINTEXT, s);
            try {
                Network net = dialers.get(0);
                // warm-up: at least 500 round trips (as the anchors do) and at least the warm-up time, so the JIT
                // has compiled the echo path on both JVMs before anything is recorded
                int minWarm = Math.min(500, s.rttIterations / 5);
                long warmUntil = System.nanoTime() + s.warmup.toNanos();
                Histogram h = new Histogram(60_000_000_000L, 3);
                AtomicInteger seen = new AtomicInteger();
                AtomicInteger warm = new AtomicInteger(-1);
                AtomicLong sent = new AtomicLong();
                CountDownLatch done = new CountDownLatch(1);
                ByteString payload = ByteString.copyFrom(new byte[32]);
                net.receive().subscribe(m -> {
                    long now = System.nanoTime();
                    int k = seen.incrementAndGet();
                    if (warm.get() >= 0) {
                        h.recordValue(now - sent.get());
                        if (k - warm.get() >= s.rttIterations) {
                            done.countDown();
                            return;
                        }
                    } else if (k >= minWarm && now - warmUntil >= 0) {
                        warm.set(k);
                    }
                    sent.set(System.nanoTime());
                    net.send(target, "echo", payload).subscribe(null, e -> done.countDown());
                });
                sent.set(System.nanoTime());
                net.send(target, "echo", payload).subscribe(null, e -> done.countDown());
                if (!done.await(120, TimeUnit.SECONDS) || h.getTotalCount() < s.rttIterations) {
                    throw new IllegalStateException("round trips stopped after " + seen.get() + " (" + h.getTotalCount()
                            + " measured of " + s.rttIterations + ")");
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("iterations", s.rttIterations);
                d.put("warmup_iterations", warm.get());
                d.put("payload_bytes", 32);
                d.put("p90_ms", h.getValueAtPercentile(90) / 1e6);
                d.put("p999_ms", h.getValueAtPercentile(99.9) / 1e6);
                d.put("max_ms", h.getMaxValue() / 1e6);
                r.add("rtt", "rtt_p50_ms", "peerlink", h.getValueAtPercentile(50) / 1e6, "ms", d);
                r.add("rtt", "rtt_p99_ms", "peerlink", h.getValueAtPercentile(99) / 1e6, "ms", Map.of());
            } finally {
                dialers.close();
            }
        }
    }

    /** Dialer nodes and, when they share threads, the {@link NetworkResources} they run on (closed last). */
    record Dialers(List<Network> nets, @Nullable NetworkResources shared) implements AutoCloseable {
        Network get(int i) {
            return nets.get(i);
        }

        String runtime() {
            return shared == null
                    ? "one event loop per dialer"
                    : "shared: " + shared.transportName() + ", "
                            + Runtime.getRuntime().availableProcessors() + " I/O threads";
        }

        @Override
        public void close() {
            try {
                stopAll(nets);
            } finally {
                if (shared != null) {
                    shared.close();
                }
            }
        }
    }

    /**
     * Observer nodes (identities 0..n-1 of {@link LoadKeys}), each linked to the target. Several dialers share one
     * {@link NetworkResources} (one I/O thread per core) unless {@code --runtime per-node}; one dialer, or
     * {@code per-node}, gets its own event loop.
     */
    static Dialers dialers(int n, NodeId target, int port, TransportSecurity security, Settings s) {
        List<Network> out = new ArrayList<>();
        InMemoryTrustRegistry trust = new InMemoryTrustRegistry(Map.of(target, Role.VALIDATOR));
        NodeConfig config = NodeConfig.builder()
                .role(Role.OBSERVER)
                .transportSecurity(security)
                .build();
        NetworkOptions options = NetworkOptions.defaults()
                .withIoThreads(1)
                .withCryptoPlacement(NetworkOptions.CryptoPlacement.EVENT_LOOP);
        NetworkResources shared = s.sharedRuntime && n > 1
                ? NetworkResources.create(
                        options.withIoThreads(Runtime.getRuntime().availableProcessors()), "dialer")
                : null;
        try {
            for (int i = 0; i < n; i++) {
                Network net = shared == null
                        ? new Network(LoadKeys.identity(i), trust, config, options, TransportObserver.NOOP)
                        : new Network(LoadKeys.identity(i), trust, config, options, TransportObserver.NOOP, shared);
                out.add(net);
                net.start().block(Duration.ofSeconds(10));
            }
            PeerAddress address = PeerAddress.parse("127.0.0.1:" + port);
            Mono.when(out.stream().map(net -> net.dial(address)).toList()).block(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            new Dialers(out, shared).close();
            throw e;
        }
        return new Dialers(out, shared);
    }

    static void stopAll(List<Network> nets) {
        Mono.when(nets.stream().map(Network::stop).toList()).block(Duration.ofSeconds(30));
    }
}
