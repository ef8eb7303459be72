package io.peerlink.node.cli;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.node.config.ConfigLoader;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import io.peerlink.node.config.Overrides;
import io.peerlink.node.config.RunConfig;
import io.peerlink.node.config.RunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.Disposable;

/**
 * {@code peerlink run}: runs one node from a config file and/or flags until SIGINT or SIGTERM, then says goodbye
 * to its peers, flushes the logs and exits 0.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Run a node until SIGINT or SIGTERM.",
            "Every flag overrides the matching key of the config file (see docs/configuration.md)."})
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "TOML config file.")
    @Nullable Path config;

    @Option(names = "--key", paramLabel = "FILE", description = "Private key file (config: key).")
    @Nullable Path key;

    @Option(names = "--trust", paramLabel = "FILE", description = "Trust file (config: trust).")
    @Nullable Path trust;

    @Option(names = "--role", paramLabel = "ROLE", converter = Converters.RoleConverter.class,
            description = "validator, gateway or observer (config: role).")
    @Nullable Role role;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = Converters.Address.class,
            description = "Accept peers here (config: listen).")
    @Nullable PeerAddress listen;

    @Option(names = "--advertise", paramLabel = "HOST:PORT", converter = Converters.Address.class,
            description = "Address other nodes should dial (config: advertise).")
    @Nullable PeerAddress advertise;

    @Option(names = "--seed", paramLabel = "HOST:PORT", converter = Converters.Address.class,
            description = "Seed address, repeatable; replaces the config's seeds.")
    List<PeerAddress> seeds = new ArrayList<>();

    @Option(names = "--admin", paramLabel = "HOST:PORT", converter = Converters.Address.class,
            description = "Serve admin HTTP here (config: admin); off unless set.")
    @Nullable PeerAddress admin;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Bearer token for admin HTTP (config: admin-token).")
    @Nullable String adminToken;

    @Option(names = "--plaintext", description = "Unencrypted links (config: transport = \"plaintext\").")
    boolean plaintext;

    @Option(names = "--log-level", paramLabel = "LEVEL", converter = Converters.Level.class,
            description = "trace, debug, info, warn, error or off (config: log-level).")
    @Nullable LogLevel logLevel;

    @Option(names = "--log-format", paramLabel = "FORMAT", converter = Converters.Format.class,
            description = "text or json (config: log-format).")
    @Nullable LogFormat logFormat;

    @Option(names = "--native-transport", paramLabel = "KIND", converter = Converters.Native.class,
            description = "auto, epoll, io_uring or nio (config: native-transport); auto takes epoll on Linux.")
    @Nullable NativeTransport nativeTransport;

    Overrides overrides() {
        return Overrides.builder()
                .key(key)
                .trust(trust)
                .role(role)
                .listen(listen)
                .advertise(advertise)
                .seeds(seeds)
                .admin(admin)
                .adminToken(adminToken)
                .plaintext(plaintext)
                .logLevel(logLevel)
                .logFormat(logFormat)
                .nativeTransport(nativeTransport)
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        RunConfig rc = ConfigLoader.load(config, overrides());
        RunSettings s = rc.settings();
        Logging.configure(s.logLevel(), s.logFormat(), null);
        Signals signals = Signals.install();
        try {
            NodeIdentity identity = KeyFiles.load(s.key());
            FileTrustRegistry registry = FileTrustRegistry.load(s.trust());
            checkListed(identity.id(), rc.node().role(), registry);
            NodeRuntime rt = NodeRuntime.start(identity, registry, rc.node(), s.networkOptions(), s.admin(),
                    s.adminToken(), true);
            Disposable watcher = TrustWatcher.watch(registry);
            log.info("peerlink {} running: node {} ({}), listening on {}, admin {}", VersionProvider.version(),
                    identity.id(), rc.node().role(), Optional.ofNullable(rt.node().listenAddress()).map(
                            Object::toString).orElse("nothing"),
                    rt.admin() == null ? "off" : rt.admin().url());
            signals.await();
            Duration grace = rc.node().timeouts().shutdownGrace();
            watcher.dispose();
            rt.stop(grace);
            log.info("shutdown complete");
            return 0;
        } finally {
            Logging.flush();
            signals.done();
        }
    }

    private static void checkListed(NodeId id, Role role, FileTrustRegistry registry) {
        Optional<Role> listed = registry.roleOf(id);
        if (listed.isEmpty()) {
            log.warn("this node ({}) is not in the trust file {}; peers that share it will refuse this node", id,
                    registry.file());
        } else if (listed.get() != role) {
            log.warn("this node runs as {} but the trust file {} lists it as {}; peers will refuse the link", role,
                    registry.file(), listed.get());
        }
    }
}
