package io.peerlink.node.cli;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.node.Node;
import io.peerlink.node.NodeBuilder;
import io.peerlink.node.admin.AdminActions;
import io.peerlink.node.admin.AdminLimits;
import io.peerlink.node.admin.AdminServer;
import io.peerlink.node.admin.AdminSource;
import io.peerlink.node.metrics.BuildInfo;
import io.peerlink.node.metrics.MeshMetrics;
import io.peerlink.node.metrics.MicrometerObserver;
import io.peerlink.node.metrics.NodeMeterRegistry;
import io.peerlink.node.metrics.TrustMetrics;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started node with its metrics registry and (optional) admin endpoint, as {@code run} and {@code devnet} use
 * it; {@link #stop(Duration)} takes all of it down in order.
 *
 * <pre>{@code
 * NodeRuntime rt = NodeRuntime.start(identity, trust, cfg, NetworkOptions.defaults(), admin, token,
 *         AdminLimits.defaults(), null, true);
 * rt.stop(Duration.ofSeconds(5));
 * }</pre>
 */
final class NodeRuntime {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Node node;
    private final NodeMeterRegistry metrics;
    private final @Nullable AdminServer admin;
    private final @Nullable NetworkResources resources;

    private NodeRuntime(
            Node node, NodeMeterRegistry metrics, @Nullable AdminServer admin, @Nullable NetworkResources resources) {
        this.node = node;
        this.metrics = metrics;
        this.admin = admin;
        this.resources = resources;
    }

    /**
     * Builds a node, binds its admin endpoint (so a taken admin port fails before anything listens for peers),
     * then starts the node.
     *
     * @param threadPrefix when non-null, the node runs on threads of its own whose names start with it (devnet
     *     passes each node's short id, so log lines name the node); null keeps the engine's own naming
     * @param processMeters whether this node's registry carries the JVM and process meters (once per process)
     */
    static NodeRuntime start(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            @Nullable PeerAddress adminAddress,
            @Nullable String token,
            AdminLimits adminLimits,
            @Nullable String threadPrefix,
            boolean processMeters) {
        return start(
                identity, trust, config, options, adminAddress, token, adminLimits, threadPrefix, processMeters, false);
    }

    /**
     * As {@link #start(NodeIdentity, TrustRegistry, NodeConfig, NetworkOptions, PeerAddress, String, AdminLimits,
     * String, boolean)}, with the admin actions on when {@code adminActions} (which needs a token).
     */
    static NodeRuntime start(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            @Nullable PeerAddress adminAddress,
            @Nullable String token,
            AdminLimits adminLimits,
            @Nullable String threadPrefix,
            boolean processMeters,
            boolean adminActions) {
        NodeMeterRegistry metrics = NodeMeterRegistry.create(processMeters);
        if (trust instanceof FileTrustRegistry file) {
            TrustMetrics.bind(metrics.registry(), file);
        }
        AtomicReference<@Nullable Node> ref = new AtomicReference<>();
        Supplier<List<PeerStatus>> peers = () -> {
            Node n = ref.get();
            return n == null ? List.<PeerStatus>of() : n.peers();
        };
        MicrometerObserver observer = new MicrometerObserver(metrics.registry(), peers);
        MeshMetrics.bind(metrics.registry(), identity.id(), trust, peers);
        BuildInfo.bind(metrics.registry(), BuildInfo.version());
        NetworkResources resources = null;
        Node node;
        try {
            NodeBuilder builder = Node.builder()
                    .identity(identity)
                    .trust(trust)
                    .config(config)
                    .options(options)
                    .observer(observer);
            if (threadPrefix != null) {
                resources = NetworkResources.create(options, threadPrefix);
                builder.resources(resources);
            }
            node = builder.build();
        } catch (RuntimeException e) {
            closeQuietly(resources);
            metrics.close();
            throw e;
        }
        ref.set(node);
        AdminServer admin = null;
        if (adminAddress != null) {
            if (token == null && !isLoopback(adminAddress)) {
                log.warn(
                        "admin HTTP on {} is reachable from other hosts and has no token; set admin-token",
                        adminAddress);
            }
            try {
                admin = AdminServer.start(
                                adminAddress,
                                AdminSource.of(node),
                                metrics.registry(),
                                token,
                                adminLimits,
                                adminActions ? AdminActions.of(node) : null)
                        .block(START_TIMEOUT);
            } catch (RuntimeException e) {
                stopQuietly(node, config.timeouts().shutdownGrace()); // built, never started: releases its threads
                closeQuietly(resources);
                metrics.close();
                throw e;
            }
        }
        try {
            node.start().block(START_TIMEOUT);
        } catch (RuntimeException e) {
            stopQuietly(node, config.timeouts().shutdownGrace());
            if (admin != null) {
                admin.stop(Duration.ofSeconds(2));
            }
            closeQuietly(resources);
            metrics.close();
            throw e;
        }
        return new NodeRuntime(node, metrics, admin, resources);
    }

    private static void closeQuietly(@Nullable NetworkResources resources) {
        if (resources != null) {
            try {
                resources.close();
            } catch (RuntimeException e) {
                log.debug("node threads did not stop cleanly: {}", e.toString());
            }
        }
    }

    private static boolean isLoopback(PeerAddress a) {
        return a.host().equals("localhost")
                || a.host().startsWith("127.")
                || a.host().equals("::1");
    }

    Node node() {
        return node;
    }

    @Nullable
    AdminServer admin() {
        return admin;
    }

    /** Stops the node (goodbye to peers, bounded by its shutdown grace), then the admin endpoint and metrics. */
    void stop(Duration timeout) {
        stopQuietly(node, timeout);
        if (admin != null) {
            admin.stop(Duration.ofSeconds(2));
        }
        closeQuietly(resources);
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
