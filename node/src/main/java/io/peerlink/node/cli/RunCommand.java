package io.peerlink.node.cli;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.node.config.ConfigLoader;
import io.peerlink.node.config.EnvOverrides;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import io.peerlink.node.config.Overrides;
import io.peerlink.node.config.RunConfig;
import io.peerlink.node.config.RunSettings;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import reactor.core.Disposable;

/**
 * {@code peerlink run}: runs one node from a config file and/or flags until SIGINT or SIGTERM, then says goodbye
 * to its peers, flushes the logs and exits 0. Each setting comes from its flag, else its {@code PEERLINK_<FLAG>}
 * environment variable, else the config file, else its default.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Run a node until SIGINT or SIGTERM.",
            "Each setting comes from its flag, else the environment variable PEERLINK_<FLAG> (e.g. PEERLINK_LOG_LEVEL"
                    + " for --log-level; PEERLINK_SEED takes a comma-separated list), else the config file, else"
                    + " its default. Every config key is described in docs/configuration.md; 'peerlink init' writes"
                    + " a node.toml listing them all."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    /** The environment variables read; tests replace it. */
    Map<String, String> env = System.getenv();

    @Option(names = "--config", paramLabel = "FILE", description = "TOML config file (env: PEERLINK_CONFIG).")
    @Nullable
    Path config;

    @Option(names = "--key", paramLabel = "FILE", description = "Private key file, mode 0600 (config: key). Required.")
    @Nullable
    Path key;

    @Option(
            names = "--trust",
            paramLabel = "FILE",
            description = "Trust file; must list this node with its role (config: trust). Required.")
    @Nullable
    Path trust;

    @Option(
            names = "--role",
            paramLabel = "ROLE",
            converter = Converters.RoleConverter.class,
            description = "validator, gateway or observer (config: role). Required.")
    @Nullable
    Role role;

    @Option(
            names = "--listen",
            paramLabel = "HOST:PORT",
            converter = Converters.Address.class,
            description = "Accept peers here (config: listen). Default: none (the node only dials).")
    @Nullable
    PeerAddress listen;

    @Option(
            names = "--advertise",
            paramLabel = "HOST:PORT",
            converter = Converters.Address.class,
            description = "Address other nodes should dial (config: advertise). Default: the listen address.")
    @Nullable
    PeerAddress advertise;

    @Option(
            names = "--seed",
            paramLabel = "HOST:PORT",
            converter = Converters.Address.class,
            description = "Seed address, repeatable; replaces the config's seeds. Default: none.")
    List<PeerAddress> seeds = new ArrayList<>();

    @Option(
            names = "--admin",
            paramLabel = "HOST:PORT",
            converter = Converters.Address.class,
            description = "Serve admin HTTP here (config: admin). Default: off.")
    @Nullable
    PeerAddress admin;

    @Option(
            names = "--admin-token",
            paramLabel = "TOKEN",
            description = "Bearer token for admin HTTP (config: admin-token). Default: none.")
    @Nullable
    String adminToken;

    @Option(
            names = "--admin-actions",
            description = {
                "Let the admin endpoint act: disconnect a peer, dial, reload"
                        + " the trust file (config: admin-actions).",
                "Needs --admin-token. Default: off."
            })
    boolean adminActions;

    @Option(
            names = "--attach-to",
            paramLabel = "N",
            description = {
                "Gateway/observer: stay linked to at least N validators (seeds, then learned by peer exchange),"
                        + " failing over when one is lost (config: attach-to).",
                "Default: 2; 0 keeps to the seeds."
            })
    @Nullable
    Integer attachTo;

    @Option(
            names = "--plaintext",
            description = "Unencrypted links (config: transport = \"plaintext\"). Default: TLS 1.3.")
    boolean plaintext;

    @Option(
            names = "--log-level",
            paramLabel = "LEVEL",
            converter = Converters.Level.class,
            defaultValue = "info",
            description = "trace, debug, info, warn, error or off (config: log-level). Default: ${DEFAULT-VALUE}.")
    @Nullable
    LogLevel logLevel;

    @Option(
            names = "--log-format",
            paramLabel = "FORMAT",
            converter = Converters.Format.class,
            defaultValue = "text",
            description = "text or json (config: log-format). Default: ${DEFAULT-VALUE}.")
    @Nullable
    LogFormat logFormat;

    @Option(
            names = "--native-transport",
            paramLabel = "KIND",
            converter = Converters.Native.class,
            defaultValue = "auto",
            description = {
                "auto, epoll, io_uring or nio (config: native-transport).",
                "Default: ${DEFAULT-VALUE} (epoll on Linux, else nio)."
            })
    @Nullable
    NativeTransport nativeTransport;

    @Option(
            names = "--tls-provider",
            paramLabel = "PROVIDER",
            converter = Converters.Tls.class,
            defaultValue = "auto",
            description = {
                "auto, openssl or jdk (config: tls-provider).",
                "Default: ${DEFAULT-VALUE} (BoringSSL where netty-tcnative loads, else the JDK's TLS);"
                        + " openssl refuses to start without BoringSSL."
            })
    @Nullable
    TlsProvider tlsProvider;

    /**
     * The flags given on the command line (an option left at its shown default is not given, so the environment
     * and the file still apply).
     */
    Overrides flags() {
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
                .logLevel(given("--log-level") ? logLevel : null)
                .logFormat(given("--log-format") ? logFormat : null)
                .nativeTransport(given("--native-transport") ? nativeTransport : null)
                .tlsProvider(given("--tls-provider") ? tlsProvider : null)
                .adminActions(adminActions ? Boolean.TRUE : null)
                .attachTo(attachTo)
                .build();
    }

    private boolean given(String option) {
        return spec == null
                || spec.commandLine().getParseResult() == null
                || spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Flags over environment variables. */
    Overrides overrides() {
        return flags().or(EnvOverrides.read(env));
    }

    @Override
    public Integer call() throws InterruptedException {
        Path file = config != null ? config : EnvOverrides.config(env);
        RunConfig rc = ConfigLoader.load(file, overrides());
        RunSettings s = rc.settings();
        CheckedNode checked = CheckedNode.load(rc);
        NodeIdentity identity = checked.identity();
        FileTrustRegistry registry = checked.registry();
        LocalNode.set(identity.id().shortString());
        Logging.configure(s.logLevel(), s.logFormat(), null);
        for (String name : EnvOverrides.unknown(env)) {
            log.warn("environment variable {} is not one peerlink run reads; ignored", name);
        }
        Signals signals = Signals.install();
        try {
            NodeRuntime rt = checked.start();
            Disposable watcher = TrustWatcher.watch(registry);
            Disposable seedChecks = SeedChecks.warnAsync(
                    rc.node().seeds(), rt.node().listenAddress(), rc.node().advertise());
            log.info(
                    "peerlink {} running: node {} ({}), listening on {}, admin {}",
                    VersionProvider.version(),
                    identity.id(),
                    rc.node().role(),
                    Optional.ofNullable(rt.node().listenAddress())
                            .map(Object::toString)
                            .orElse("nothing"),
                    rt.admin() == null ? "off" : rt.admin().url());
            signals.await();
            Duration grace = rc.node().timeouts().shutdownGrace();
            seedChecks.dispose();
            watcher.dispose();
            rt.stop(grace);
            log.info("shutdown complete");
            return 0;
        } finally {
            Logging.flush();
            signals.done();
        }
    }
}
