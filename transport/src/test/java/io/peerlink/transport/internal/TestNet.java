package io.peerlink.transport.internal;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.DialPolicy;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A set of nodes on loopback sharing one trust registry; stops them all on close. */
final class TestNet implements AutoCloseable {
    static final PeerAddress ANY = PeerAddress.parse("127.0.0.1:0");

    final InMemoryTrustRegistry trust = new InMemoryTrustRegistry(Map.of());
    final List<Network> nodes = new ArrayList<>();
    final Map<NodeId, NodeIdentity> identities = new HashMap<>();

    NodeIdentity identity(Role role) {
        NodeIdentity id = NodeIdentity.generate();
        trust.put(id.id(), role);
        identities.put(id.id(), id);
        return id;
    }

    static NodeConfig.Builder config(Role role) {
        return NodeConfig.builder()
                .role(role)
                .listen(role.isValidator() ? ANY : null)
                .transportSecurity(TransportSecurity.PLAINTEXT)
                .heartbeat(new HeartbeatConfig(Duration.ofMillis(300), 3))
                .dial(new DialPolicy(4, Duration.ofMillis(50), Duration.ofMillis(400), 0.3, Duration.ofMillis(300)));
    }

    Network start(NodeIdentity id, NodeConfig config) {
        return start(id, config, NetworkOptions.defaults().withIoThreads(1));
    }

    Network start(NodeIdentity id, NodeConfig config, NetworkOptions options) {
        Network n = new Network(id, trust, config, options, TransportObserver.NOOP);
        nodes.add(n);
        n.start().block(Duration.ofSeconds(5));
        return n;
    }

    Network start(Role role, List<PeerAddress> seeds) {
        return start(identity(role), config(role).seeds(seeds).build());
    }

    static Set<NodeId> peerIds(Network n) {
        return n.peers().stream().map(p -> p.connection().peer()).collect(Collectors.toSet());
    }

    @Override
    public void close() {
        for (Network n : nodes) {
            try {
                n.stop().block(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                // keep stopping the others
            }
        }
    }
}
