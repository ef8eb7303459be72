package io.peerlink.node.cli;

import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.node.config.RunConfig;
import io.peerlink.node.config.RunSettings;

/**
 * A node's key and trust file loaded from its config and checked the way {@code peerlink run} checks them at start
 * (key readable by its owner only, the trust file admitting this node in its role), ready to start.
 */
record CheckedNode(RunConfig config, NodeIdentity identity, FileTrustRegistry registry) {

    /** Loads and checks; a problem is a {@link io.peerlink.core.ConfigException} naming it. */
    static CheckedNode load(RunConfig rc) {
        RunSettings s = rc.settings();
        KeyPermissions.check(s.key());
        NodeIdentity identity = KeyFiles.load(s.key());
        FileTrustRegistry registry = FileTrustRegistry.builder(s.trust())
                .self(identity.id())
                .settle(s.trustSettle())
                .load();
        TrustChecks.atStart(identity.id(), rc.node().role(), registry);
        return new CheckedNode(rc, identity, registry);
    }

    /** Starts the node with its admin endpoint and metrics, as {@code run} does. */
    NodeRuntime start() {
        RunSettings s = config.settings();
        return NodeRuntime.start(
                identity,
                registry,
                config.node(),
                s.networkOptions(),
                s.admin(),
                s.adminToken(),
                s.adminLimits(),
                null,
                true,
                s.adminActions());
    }
}
