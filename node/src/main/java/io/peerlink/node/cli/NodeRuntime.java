package io.peerlink.node.cli;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.node.Node;
import io.peerlink.node.admin.AdminServer;
import io.peerlink.node.admin.AdminSource;
import io.peerlink.node.metrics.MicrometerObserver;
import io.peerlink.node.metrics.NodeMeterRegistry;
import io.peerlink.transport.NetworkOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started node with its metrics registry and (optional) admin endpoint, as {@code run} and {@code devnet} use
 * it; {@link #stop(Duration)} takes all of it down in order.
 *
 * <pre>{@code
 * NodeRuntime rt = NodeRuntime.start(identity, trust, cfg, NetworkOptions.defaults(), admin, token, true);
 * rt.stop(Duration.ofSeconds(5));
 * }</pre>
 */
final class NodeRuntime {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Node node;
    private final NodeMeterRegistry metrics;
    private final @Nullable AdminServer admin;

    private NodeRuntime(Node node, NodeMeterRegistry metrics, @Nullable AdminServer admin) {
        this.node = node;
        this.metrics = metrics;
        this.admin = admin;
    }

    /**
     * Builds and starts a node, then its admin endpoint.
     *
     * @param processMeters whether this node's registry carries the JVM and process meters (once per process)
     */
    static NodeRuntime start(NodeIdentity identity, TrustRegistry trust, NodeConfig config, NetworkOptions options,
            @Nullable PeerAddress adminAddress, @Nullable String token, boolean processMeters) {
        NodeMeterRegistry metrics = NodeMeterRegistry.create(processMeters);
        AtomicReference<@Nullable Node> ref = new AtomicReference<>();
        MicrometerObserver observer = new MicrometerObserver(metrics.registry(), () -> {
            Node n = ref.get();
            return n == null ? List.<PeerStatus>of() : n.peers();
        });
        Node node;
        try {
            node = Node.builder()
                    .identity(identity)
                    .trust(trust)
                    .config(config)
                    .options(options)
                    .observer(observer)
                    .build();
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        ref.set(node);
        try {
            node.start().block(START_TIMEOUT);
        } catch (RuntimeException e) {
            stopQuietly(node, config.timeouts().shutdownGrace());
            metrics.close();
            throw e;
        }
        AdminServer admin = null;
        if (adminAddress != null) {
            if (token == null && !isLoopback(adminAddress)) {
                log.warn("admin HTTP on {} is reachable from other hosts and has no token; set admin-token",
                        adminAddress);
            }
            try {
                admin = AdminServer.start(adminAddress, AdminSource.of(node), metrics.registry(), token)
                        .block(START_TIMEOUT);
            } catch (RuntimeException e) {
                stopQuietly(node, config.timeouts().shutdownGrace());
                metrics.close();
                throw e;
            }
        }
        return new NodeRuntime(node, metrics, admin);
    }

    private static boolean isLoopback(PeerAddress a) {
        return a.host().equals("localhost") || a.host().startsWith("127.") || a.host().equals("::1");
    }

    Node node() {
        return node;
    }

    @Nullable AdminServer admin() {
        return admin;
    }

    /** Stops the node (goodbye to peers, bounded by its shutdown grace), then the admin endpoint and metrics. */
    void stop(Duration timeout) {
        stopQuietly(node, timeout);
        if (admin != null) {
            admin.stop(Duration.ofSeconds(2));
        }
        metrics.close();
    }

    private static void stopQuietly(Node node, Duration grace) {
        try {
            node.stop().block(grace.plusSeconds(2));
        } catch (RuntimeException e) {
            log.warn("node {} did not stop cleanly: {}", node.id(), e.toString());
        }
    }
}
