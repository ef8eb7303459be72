package io.peerlink.node.config;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.Defaults;
import io.peerlink.node.admin.AdminLimits;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@code peerlink run} process that are not part of {@link io.peerlink.core.config.NodeConfig}:
 * where the key and trust files are, the admin endpoint, and logging.
 *
 * <pre>{@code
 * RunSettings s = ConfigLoader.load(Path.of("node.toml"), Overrides.none()).settings();
 * NodeIdentity me = KeyFiles.load(s.key());
 * }</pre>
 *
 * @param key the private key file (absolute, or relative to the working directory)
 * @param trust the trust file
 * @param admin where to serve admin HTTP, or null for no admin endpoint
 * @param adminToken the bearer token required by the admin endpoint, or null for none
 * @param logLevel the root log level
 * @param logFormat text or JSON lines
 * @param nativeTransport the socket implementation ({@code native-transport}); {@code AUTO} unless set
 * @param tlsProvider the TLS implementation ({@code tls-provider}); {@code AUTO} (BoringSSL where it loads, else the
 *     JDK's) unless set
 * @param trustSettle how long an edited trust file must stay unchanged before it applies ({@code trust-settle})
 * @param adminLimits idle and request timeouts and the connection cap of the admin endpoint
 * @param adminActions whether the admin endpoint takes actions (disconnect, dial, trust reload); needs a token
 * @param attachTo validators a gateway or observer keeps links to at least ({@code attach-to})
 */
public record RunSettings(
        Path key,
        Path trust,
        @Nullable PeerAddress admin,
        @Nullable String adminToken,
        LogLevel logLevel,
        LogFormat logFormat,
        NativeTransport nativeTransport,
        TlsProvider tlsProvider,
        Duration trustSettle,
        AdminLimits adminLimits,
        boolean adminActions,
        int attachTo) {
    public RunSettings {
        Objects.requireNonNull(nativeTransport, "nativeTransport");
        Objects.requireNonNull(tlsProvider, "tlsProvider");
        Objects.requireNonNull(trustSettle, "trustSettle");
        Objects.requireNonNull(adminLimits, "adminLimits");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(logFormat, "logFormat");
    }

    /** Settings with the default socket implementation and TLS provider (both {@code AUTO}). */
    public RunSettings(
            Path key,
            Path trust,
            @Nullable PeerAddress admin,
            @Nullable String adminToken,
            LogLevel logLevel,
            LogFormat logFormat) {
        this(
                key,
                trust,
                admin,
                adminToken,
                logLevel,
                logFormat,
                NativeTransport.AUTO,
                TlsProvider.AUTO,
                Defaults.TRUST_SETTLE,
                AdminLimits.defaults(),
                false,
                NetworkOptions.DEFAULT_ATTACH_TO);
    }

    /**
     * The engine options these settings ask for: {@link NetworkOptions#defaults()} with the socket implementation and
     * the TLS provider and {@code attach-to}.
     */
    public NetworkOptions networkOptions() {
        return NetworkOptions.defaults()
                .withNativeTransport(nativeTransport)
                .withTlsProvider(tlsProvider)
                .withAttachTo(attachTo);
    }

    @Override
    public String toString() {
        // never print the token
        return "RunSettings[key=" + key + ", trust=" + trust + ", admin=" + admin + ", adminToken="
                + (adminToken == null ? "none" : "***") + ", logLevel=" + logLevel + ", logFormat=" + logFormat
                + ", nativeTransport="
                + nativeTransport + ", tlsProvider=" + tlsProvider + ", trustSettle=" + trustSettle + ", adminLimits="
                + adminLimits + ", adminActions=" + adminActions + ", attachTo=" + attachTo + "]";
    }
}
