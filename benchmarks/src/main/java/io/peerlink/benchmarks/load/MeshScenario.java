package io.peerlink.benchmarks.load;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.Network;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * Scenario 5: mesh formation. N validators in this JVM (sharing one {@link NetworkResources} unless
 * {@code --runtime per-node}), each given one seed: the previous
 * node (node 0 gets node 1), a chain. Time from starting them all until every node lists N-1 validator peers; the
 * rest of the mesh comes from peer exchange.
 *
 * <pre>{@code
 * MeshScenario.run(settings, results);
 * }</pre>
 */
final class MeshScenario {
    private MeshScenario() {}

    static void run(Settings s, Results r) throws Exception {
        for (int n : s.mesh) {
            MeshCounts counts = new MeshCounts();
            double ms = formMillis(n, s.sharedRuntime, counts);
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("validators", n);
            details.put("seeds", "chain: node i seeds node i-1, node 0 seeds node 1");
            details.put("runtime", s.sharedRuntime ? "shared (one NetworkResources, 2 I/O threads)" : "one per node");
            details.putAll(counts.snapshot());
            System.out.printf("mesh %d: %.0f ms %s%n", n, ms, counts.snapshot());
            r.add("mesh", "formation_ms", "validators=" + n, ms, "ms", details);
        }
    }

    /** What the nodes did while the mesh formed, summed over all of them. */
    static final class MeshCounts implements TransportObserver {
        final LongAdder handshakes = new LongAdder();
        final LongAdder duplicates = new LongAdder();
        final LongAdder dialAttempts = new LongAdder();
        final LongAdder dialsGivenUp = new LongAdder();
        final Map<String, LongAdder> handshakeFailures = new ConcurrentHashMap<>();
        volatile int peakThreads;

        @Override
        public void handshakeSucceeded(Direction direction, long nanos) {
            handshakes.increment();
        }

        @Override
        public void handshakeFailed(Direction direction, DisconnectReason reason, boolean byPeer) {
            handshakeFailures
                    .computeIfAbsent(reason.text() + (byPeer ? "(by peer)" : ""), k -> new LongAdder())
                    .increment();
        }

        @Override
        public void duplicateClosed() {
            duplicates.increment();
        }

        @Override
        public void dialAttempt(PeerAddress address) {
            dialAttempts.increment();
        }

        @Override
        public void dialFailed(PeerAddress address, DisconnectReason reason) {
            dialsGivenUp.increment();
        }

        Map<String, Object> snapshot() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("handshakes_ok", handshakes.sum());
            m.put("duplicates_closed", duplicates.sum());
            m.put("dial_attempts", dialAttempts.sum());
            m.put("dials_given_up", dialsGivenUp.sum());
            Map<String, Long> failures = new TreeMap<>();
            handshakeFailures.forEach((k, v) -> failures.put(k, v.sum()));
            m.put("handshake_failures", failures);
            m.put("peak_threads", peakThreads);
            return m;
        }
    }

    private static double formMillis(int n, boolean sharedRuntime, MeshCounts counts)
            throws IOException, InterruptedException {
        List<NodeIdentity> ids = new ArrayList<>();
        Map<NodeId, Role> table = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NodeIdentity id = LoadKeys.identity(2_000_000 + i);
            ids.add(id);
            table.put(id.id(), Role.VALIDATOR);
        }
        int[] ports = freePorts(n);
        InMemoryTrustRegistry trust = new InMemoryTrustRegistry(table);
        NetworkOptions options = NetworkOptions.defaults().withIoThreads(1);
        NetworkResources shared = sharedRuntime
                ? NetworkResources.create(NetworkOptions.defaults().withIoThreads(2), "mesh")
                : null;
        List<Network> nets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int seed = i == 0 ? 1 : i - 1;
            NodeConfig config = NodeConfig.builder()
                    .transportSecurity(TransportSecurity.PLAINTEXT)
                    .role(Role.VALIDATOR)
                    .listen(PeerAddress.parse("127.0.0.1:" + ports[i]))
                    .seed(PeerAddress.parse("127.0.0.1:" + ports[seed]))
                    .build();
            nets.add(
                    shared == null
                            ? new Network(ids.get(i), trust, config, options, counts)
                            : new Network(ids.get(i), trust, config, options, counts, shared));
        }
        try {
            long t0 = System.nanoTime();
            for (Network net : nets) {
                net.start().subscribe(null, e -> System.out.println("mesh node failed to start: " + e));
            }
            long deadline = t0 + 60_000_000_000L;
            long lastProgress = t0;
            while (System.nanoTime() < deadline) {
                if (nets.stream().allMatch(net -> validators(net) >= n - 1)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
                if (System.getProperty("mesh.progress") != null && System.nanoTime() - lastProgress > 250_000_000L) {
                    lastProgress = System.nanoTime();
                    long links =
                            nets.stream().mapToLong(MeshScenario::validators).sum();
                    long min = nets.stream()
                            .mapToLong(MeshScenario::validators)
                            .min()
                            .orElse(0);
                    System.out.printf(
                            "  %5.1f s: %d of %d link ends, fewest %d; %s%n",
                            (lastProgress - t0) / 1e9, links, (long) n * (n - 1), min, counts.snapshot());
                }
                counts.peakThreads = Math.max(
                        counts.peakThreads,
                        java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
                Thread.sleep(2);
            }
            Map<String, Object> peers = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                peers.put("node" + i, validators(nets.get(i)));
            }
            throw new IllegalStateException(
                    "no full mesh of " + n + " within 60 s: " + peers + " " + counts.snapshot());
        } finally {
            Mono.when(nets.stream().map(Network::stop).toList()).block(java.time.Duration.ofSeconds(30));
            if (shared != null) {
                shared.close();
            }
        }
    }

    private static long validators(Network net) {
        return net.peers().stream()
                .map(PeerStatus::connection)
                .filter(c -> c.role().isValidator())
                .count();
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress("127.0.0.1", 0));
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }
}
