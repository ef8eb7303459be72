package io.peerlink.node.config;

import io.peerlink.core.config.NodeConfig;
import java.util.Objects;

/**
 * Everything {@code peerlink run} needs: the node's configuration and the process settings.
 *
 * <pre>{@code
 * RunConfig rc = ConfigLoader.load(Path.of("node.toml"), overrides);
 * Node node = Node.builder().config(rc.node())...;
 * }</pre>
 */
public record RunConfig(NodeConfig node, RunSettings settings) {
    public RunConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(settings, "settings");
    }
}
