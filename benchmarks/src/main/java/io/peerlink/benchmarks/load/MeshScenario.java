package io.peerlink.benchmarks.load;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.transport.Network;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Scenario 5: mesh formation. N validators in this JVM (one event loop each), each given one seed: the previous
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
            r.add("mesh", "formation_ms", "validators=" + n, formMillis(n), "ms", Map.of("validators", n,
                    "seeds", "chain: node i seeds node i-1, node 0 seeds node 1"));
        }
    }

    private static double formMillis(int n) throws IOException, InterruptedException {
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
        List<Network> nets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int seed = i == 0 ? 1 : i - 1;
            NodeConfig config = NodeConfig.builder()
                    .transportSecurity(TransportSecurity.PLAINTEXT)
                    .role(Role.VALIDATOR)
                    .listen(PeerAddress.parse("127.0.0.1:" + ports[i]))
                    .seed(PeerAddress.parse("127.0.0.1:" + ports[seed]))
                    .build();
            nets.add(new Network(ids.get(i), trust, config, options, TransportObserver.NOOP));
        }
        try {
            long t0 = System.nanoTime();
            for (Network net : nets) {
                net.start().subscribe(null, e -> System.out.println("mesh node failed to start: " + e));
            }
            long deadline = t0 + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (nets.stream().allMatch(net -> validators(net) >= n - 1)) {
                    return (System.nanoTime() - t0) / 1e6;
                }
                Thread.sleep(2);
            }
            Map<String, Object> counts = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                counts.put("node" + i, validators(nets.get(i)));
            }
            throw new IllegalStateException("no full mesh of " + n + " within 60 s: " + counts);
        } finally {
            Mono.when(nets.stream().map(Network::stop).toList()).block(java.time.Duration.ofSeconds(30));
        }
    }

    private static long validators(Network net) {
        return net.peers().stream().map(PeerStatus::connection).filter(c -> c.role().isValidator()).count();
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
