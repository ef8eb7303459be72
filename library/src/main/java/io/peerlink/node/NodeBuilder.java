package io.peerlink.node;

import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Node}; identity, trust registry and config are required.
 *
 * <pre>{@code
 * Node node = Node.builder().identity(id).trust(trust).config(cfg).build();
 *
 * // several nodes in one JVM on one set of threads
 * NetworkResources shared = NetworkResources.create(NetworkOptions.defaults());
 * Node a = Node.builder().identity(idA).trust(trust).config(cfgA).resources(shared).build();
 * Node b = Node.builder().identity(idB).trust(trust).config(cfgB).resources(shared).build();
 * // ... a.stop(), b.stop(), then shared.close()
 * }</pre>
 */
public final class NodeBuilder {
    private @Nullable NodeIdentity identity;
    private @Nullable TrustRegistry trust;
    private @Nullable NodeConfig config;
    private NetworkOptions options = NetworkOptions.defaults();
    private TransportObserver observer = TransportObserver.NOOP;
    private @Nullable NetworkResources resources;
    private @Nullable Integer attachTo;

    NodeBuilder() {}

    public NodeBuilder identity(NodeIdentity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
        return this;
    }

    public NodeBuilder trust(TrustRegistry trust) {
        this.trust = Objects.requireNonNull(trust, "trust");
        return this;
    }

    public NodeBuilder config(NodeConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    public NodeBuilder options(NetworkOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return this;
    }

    /**
     * How many validators a gateway or observer keeps links to at least (its seeds, then validators learned by peer
     * exchange), failing over to another known validator when one is lost; default
     * {@value NetworkOptions#DEFAULT_ATTACH_TO}, 0 for the seeds only. Replaces {@link NetworkOptions#attachTo()}
     * of the {@link #options} whenever they are set; validators ignore it.
     *
     * @throws IllegalArgumentException unless 0..1024
     */
    public NodeBuilder attachTo(int n) {
        if (n < 0 || n > 1024) {
            throw new IllegalArgumentException("attachTo: " + n + " (expected: 0..1024)");
        }
        this.attachTo = n;
        return this;
    }

    public NodeBuilder observer(TransportObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
        return this;
    }

    /**
     * Runs the node on threads shared with other nodes in this JVM instead of its own; the caller owns
     * {@code shared} and closes it after stopping every node that uses it. See {@link NetworkResources}.
     */
    public NodeBuilder resources(NetworkResources shared) {
        this.resources = Objects.requireNonNull(shared, "shared");
        return this;
    }

    /** A node, not started. */
    public Node build() {
        if (identity == null) {
            throw new IllegalStateException("identity: not set (expected: NodeBuilder.identity(..))");
        }
        if (trust == null) {
            throw new IllegalStateException("trust: not set (expected: NodeBuilder.trust(..))");
        }
        if (config == null) {
            throw new IllegalStateException("config: not set (expected: NodeBuilder.config(..))");
        }
        NetworkOptions o = attachTo == null ? options : options.withAttachTo(attachTo);
        return new Node(identity, trust, config, o, observer, resources);
    }
}
