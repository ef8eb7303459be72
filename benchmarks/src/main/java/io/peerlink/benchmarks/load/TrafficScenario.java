package io.peerlink.benchmarks.load;

import com.google.protobuf.ByteString;
import io.netty.channel.Channel;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.transport.Network;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
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

    private TrafficScenario() {}

    static void throughput(Settings s, Results r) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        for (int links : s.links) {
            double raw;
            try (Target t = Target.raw(s);
                    RawClient client = new RawClient(Math.min(cores, links))) {
                List<Channel> chs = client.push(t.port(), links, PAYLOAD_BYTES);
                raw = measure(s, t);
                client.stopPushing();
                chs.forEach(Channel::close);
            }
            r.add("throughput", "msgs_per_s", "raw-netty links=" + links, raw, "1/s",
                    Map.of("links", links, "MB_per_s", raw * PAYLOAD_BYTES / 1e6));

            for (String security : s.security) {
            boolean tls = security.equalsIgnoreCase("tls");
            try (Target t = Target.peerlink(s, "OFFLOAD", Math.max(128, links), security)) {
                NodeId target = t.nodeId();
                Dialers dialers = dialers(links, target, t.port(),
                        tls ? TransportSecurity.TLS : TransportSecurity.PLAINTEXT, s);
                try {
                    ByteString payload = ByteString.copyFrom(new byte[PAYLOAD_BYTES]);
                    AtomicInteger stop = new AtomicInteger();
                    AtomicLong failures = new AtomicLong();
                    int threads = Math.min(links, cores);
                    List<Thread> senders = new ArrayList<>();
                    for (int k = 0; k < threads; k++) {
                        List<Network> mine = new ArrayList<>();
                        for (int i = k; i < links; i += threads) {
                            mine.add(dialers.get(i));
                        }
                        Thread th = new Thread(() -> {
                            while (stop.get() == 0) {
                                for (Network n : mine) {
                                    try {
                                        n.send(target, "bench", payload).block(Duration.ofSeconds(10));
                                    } catch (RuntimeException e) {
                                        failures.incrementAndGet();
                                    }
                                }
                            }
                        }, "sender-" + k);
                        th.start();
                        senders.add(th);
                    }
                    double rate = measure(s, t);
                    stop.set(1);
                    for (Thread th : senders) {
                        th.join(15_000);
                    }
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("links", links);
                    d.put("sender_threads", threads);
                    d.put("MB_per_s", rate * PAYLOAD_BYTES / 1e6);
                    d.put("send_failures", failures.get());
                    d.put("dialer_runtime", dialers.runtime());
                    d.put("ratio_to_raw", rate / raw);
                    r.add("throughput", "msgs_per_s", "peerlink" + (tls ? "-tls" : "") + " links=" + links, rate,
                            "1/s", d);
                } finally {
                    dialers.close();
                }
            }
            }
        }
    }

    /** Messages per second the target counted over the window, after the warm-up. */
    private static double measure(Settings s, Target t) throws InterruptedException {
        Thread.sleep(s.warmup.toMillis());
        long[] a = t.count();
        Thread.sleep(s.window.toMillis());
        long[] b = t.count();
        return (b[0] - a[0]) / ((b[1] - a[1]) / 1e9);
    }

    static void rtt(Settings s, Results r) throws Exception {
        try (Target t = Target.peerlink(s, "OFFLOAD", 16)) {
            NodeId target = t.nodeId();
            Dialers dialers = dialers(1, target, t.port(), TransportSecurity.PLAINTEXT, s);
            try {
                Network net = dialers.get(0);
                int warm = Math.min(500, s.rttIterations / 5);
                int total = warm + s.rttIterations;
                Histogram h = new Histogram(60_000_000_000L, 3);
                AtomicInteger seen = new AtomicInteger();
                AtomicLong sent = new AtomicLong();
                CountDownLatch done = new CountDownLatch(1);
                ByteString payload = ByteString.copyFrom(new byte[32]);
                net.receive().subscribe(m -> {
                    long now = System.nanoTime();
                    int k = seen.incrementAndGet();
                    if (k > warm) {
                        h.recordValue(now - sent.get());
                    }
                    if (k >= total) {
                        done.countDown();
                        return;
                    }
                    sent.set(System.nanoTime());
                    net.send(target, "echo", payload).subscribe(null, e -> done.countDown());
                });
                sent.set(System.nanoTime());
                net.send(target, "echo", payload).subscribe(null, e -> done.countDown());
                if (!done.await(120, TimeUnit.SECONDS) || seen.get() < total) {
                    throw new IllegalStateException("round trips stopped after " + seen.get() + " of " + total);
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("iterations", s.rttIterations);
                d.put("warmup_iterations", warm);
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
            return shared == null ? "one event loop per dialer" : "shared: " + shared.transportName() + ", "
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
        NodeConfig config = NodeConfig.builder().role(Role.OBSERVER).transportSecurity(security).build();
        NetworkOptions options = NetworkOptions.defaults()
                .withIoThreads(1)
                .withCryptoPlacement(NetworkOptions.CryptoPlacement.EVENT_LOOP);
        NetworkResources shared = s.sharedRuntime && n > 1
                ? NetworkResources.create(options.withIoThreads(Runtime.getRuntime().availableProcessors()), "dialer")
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
