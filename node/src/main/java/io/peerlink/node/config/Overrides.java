package io.peerlink.node.config;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Values given as command-line flags; each non-null one replaces the config file's key. An empty seed list leaves
 * the file's seeds alone; a non-empty one replaces them.
 *
 * <pre>{@code
 * Overrides o = Overrides.builder().listen(PeerAddress.parse("127.0.0.1:7000")).plaintext(true).build();
 * }</pre>
 *
 * @param plaintext true to force plaintext transport; false leaves the file's {@code transport} alone
 * @param tlsProvider the TLS implementation ({@code tls-provider}), or null to leave the file's
 * @param adminActions whether the admin endpoint takes actions ({@code admin-actions}), or null to leave the file's
 * @param attachTo validators a gateway or observer keeps links to ({@code attach-to}), or null to leave the file's
 */
public record Overrides(
        @Nullable Path key,
        @Nullable Path trust,
        @Nullable Role role,
        @Nullable PeerAddress listen,
        @Nullable PeerAddress advertise,
        List<PeerAddress> seeds,
        @Nullable PeerAddress admin,
        @Nullable String adminToken,
        boolean plaintext,
        @Nullable LogLevel logLevel,
        @Nullable LogFormat logFormat,
        @Nullable NativeTransport nativeTransport,
        @Nullable TlsProvider tlsProvider,
        @Nullable Boolean adminActions,
        @Nullable Integer attachTo) {

    public Overrides {
        seeds = List.copyOf(seeds);
    }

    /**
     * These values, with every unset one taken from {@code fallback}: flags over environment variables. Seeds
     * come from {@code fallback} only when these have none; {@code plaintext} is set if either sets it.
     */
    public Overrides or(Overrides fallback) {
        return new Overrides(
                key != null ? key : fallback.key,
                trust != null ? trust : fallback.trust,
                role != null ? role : fallback.role,
                listen != null ? listen : fallback.listen,
                advertise != null ? advertise : fallback.advertise,
                !seeds.isEmpty() ? seeds : fallback.seeds,
                admin != null ? admin : fallback.admin,
                adminToken != null ? adminToken : fallback.adminToken,
                plaintext || fallback.plaintext,
                logLevel != null ? logLevel : fallback.logLevel,
                logFormat != null ? logFormat : fallback.logFormat,
                nativeTransport != null ? nativeTransport : fallback.nativeTransport,
                tlsProvider != null ? tlsProvider : fallback.tlsProvider,
                adminActions != null ? adminActions : fallback.adminActions,
                attachTo != null ? attachTo : fallback.attachTo);
    }

    /** No flags given. */
    public static Overrides none() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Mutable builder of {@link Overrides}; unset values stay null. */
    public static final class Builder {
        private @Nullable Path key;
        private @Nullable Path trust;
        private @Nullable Role role;
        private @Nullable PeerAddress listen;
        private @Nullable PeerAddress advertise;
        private final List<PeerAddress> seeds = new ArrayList<>();
        private @Nullable PeerAddress admin;
        private @Nullable String adminToken;
        private boolean plaintext;
        private @Nullable LogLevel logLevel;
        private @Nullable LogFormat logFormat;
        private @Nullable NativeTransport nativeTransport;
        private @Nullable TlsProvider tlsProvider;
        private @Nullable Boolean adminActions;
        private @Nullable Integer attachTo;

        Builder() {}

        public Builder key(@Nullable Path v) {
            key = v;
            return this;
        }

        public Builder trust(@Nullable Path v) {
            trust = v;
            return this;
        }

        public Builder role(@Nullable Role v) {
            role = v;
            return this;
        }

        public Builder listen(@Nullable PeerAddress v) {
            listen = v;
            return this;
        }

        public Builder advertise(@Nullable PeerAddress v) {
            advertise = v;
            return this;
        }

        public Builder seeds(@Nullable List<PeerAddress> v) {
            seeds.clear();
            if (v != null) {
                seeds.addAll(v);
            }
            return this;
        }

        public Builder seed(PeerAddress v) {
            seeds.add(Objects.requireNonNull(v, "v"));
            return this;
        }

        public Builder admin(@Nullable PeerAddress v) {
            admin = v;
            return this;
        }

        public Builder adminToken(@Nullable String v) {
            adminToken = v;
            return this;
        }

        public Builder plaintext(boolean v) {
            plaintext = v;
            return this;
        }

        public Builder logLevel(@Nullable LogLevel v) {
            logLevel = v;
            return this;
        }

        public Builder logFormat(@Nullable LogFormat v) {
            logFormat = v;
            return this;
        }

        public Builder nativeTransport(@Nullable NativeTransport v) {
            nativeTransport = v;
            return this;
        }

        public Builder tlsProvider(@Nullable TlsProvider v) {
            tlsProvider = v;
            return this;
        }

        public Builder adminActions(@Nullable Boolean v) {
            adminActions = v;
            return this;
        }

        public Builder attachTo(@Nullable Integer v) {
            attachTo = v;
            return this;
        }

        public Overrides build() {
            return new Overrides(
                    key,
                    trust,
                    role,
                    listen,
                    advertise,
                    seeds,
                    admin,
                    adminToken,
                    plaintext,
                    logLevel,
                    logFormat,
                    nativeTransport,
                    tlsProvider,
                    adminActions,
                    attachTo);
        }
    }
}
