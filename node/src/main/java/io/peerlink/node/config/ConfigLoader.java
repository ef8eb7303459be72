package io.peerlink.node.config;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.node.admin.AdminLimits;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code peerlink run} config file (TOML, see docs/configuration.md), applies flag overrides and validates
 * everything, so that any mistake surfaces as one {@link ConfigException} naming the file and key. Relative paths
 * in the file resolve against the file's directory.
 *
 * <pre>{@code
 * RunConfig rc = ConfigLoader.load(Path.of("node.toml"), Overrides.none());
 * RunConfig flagsOnly = ConfigLoader.load(null, Overrides.builder().key(k).trust(t).role(Role.OBSERVER).build());
 * }</pre>
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Loads and validates a config file (if any) with flag overrides on top.
     *
     * @param file the config file, or null when every required setting comes from flags
     * @throws ConfigException naming the file and key of the first problem
     */
    public static RunConfig load(@Nullable Path file, Overrides overrides) {
        if (file == null) {
            return map(ConfigDto.EMPTY, null, null, overrides);
        }
        ConfigDto dto = TomlBinding.read(file);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent() != null ? abs.getParent() : abs;
        return map(dto, file.toString(), dir, overrides);
    }

    /** Maps a bound file; {@code source} names it in messages, {@code dir} anchors its relative paths. */
    static RunConfig map(ConfigDto dto, @Nullable String source, @Nullable Path dir, Overrides o) {
        Mapper m = new Mapper(source);

        Role role = o.role() != null ? o.role() : m.opt("role", dto.role(), Role::parse);
        if (role == null) {
            throw m.missing("role", "--role", "validator, gateway or observer");
        }
        Path key = o.key() != null ? o.key() : m.opt("key", dto.key(), t -> m.path(dir, t));
        if (key == null) {
            throw m.missing("key", "--key", "the private key file written by 'peerlink keygen'");
        }
        Path trust = o.trust() != null ? o.trust() : m.opt("trust", dto.trust(), t -> m.path(dir, t));
        if (trust == null) {
            throw m.missing("trust", "--trust", "the trust file listing '<node-id> <role>' lines");
        }
        PeerAddress listen = o.listen() != null ? o.listen() : m.opt("listen", dto.listen(), PeerAddress::parse);
        PeerAddress advertise =
                o.advertise() != null ? o.advertise() : m.opt("advertise", dto.advertise(), PeerAddress::parse);
        List<PeerAddress> seeds = !o.seeds().isEmpty() ? o.seeds() : m.seeds(dto.seeds());
        List<NodeId> banned = m.banned(dto.ban());
        PeerAddress admin = o.admin() != null ? o.admin() : m.opt("admin", dto.admin(), PeerAddress::parse);
        String token = o.adminToken() != null ? o.adminToken() : dto.adminToken();
        if (token != null) {
            checkToken(token, o.adminToken() != null ? "--admin-token" : m.where("admin-token"));
        }
        // without a 'transport' key the core default applies (plaintext until TLS lands in the transport)
        TransportSecurity security = o.plaintext()
                ? TransportSecurity.PLAINTEXT
                : m.opt("transport", dto.transport(), ConfigLoader::parseTransport);
        LogLevel level =
                o.logLevel() != null ? o.logLevel() : m.or("log-level", dto.logLevel(), LogLevel::parse, LogLevel.INFO);
        LogFormat format = o.logFormat() != null
                ? o.logFormat()
                : m.or("log-format", dto.logFormat(), LogFormat::parse, LogFormat.TEXT);
        NativeTransport nativeTransport = o.nativeTransport() != null
                ? o.nativeTransport()
                : m.or(
                        "native-transport",
                        dto.nativeTransport(),
                        ConfigLoader::parseNativeTransport,
                        NativeTransport.AUTO);
        TlsProvider tlsProvider = o.tlsProvider() != null
                ? o.tlsProvider()
                : m.or("tls-provider", dto.tlsProvider(), ConfigLoader::parseTlsProvider, TlsProvider.AUTO);
        Duration pex = m.or("pex-interval", dto.pexInterval(), Durations::parse, Defaults.PEX_INTERVAL);

        var limits = Sections.limits(m, dto.limits());
        var timeouts = Sections.timeouts(m, dto.timeouts());
        var heartbeat = Sections.heartbeat(m, dto.heartbeat());
        var dial = Sections.dial(m, dto.dial());
        var pexPolicy = Sections.pex(m, dto.pex());
        NodeConfig node = m.section("", () -> {
            NodeConfig.Builder b = NodeConfig.builder();
            if (security != null) {
                b.transportSecurity(security);
            }
            return b.role(role)
                    .listen(listen)
                    .advertise(advertise)
                    .seeds(seeds)
                    .limits(limits)
                    .timeouts(timeouts)
                    .heartbeat(heartbeat)
                    .dial(dial)
                    .pexInterval(pex)
                    .pex(pexPolicy)
                    .banned(banned)
                    .build();
        });
        Duration settle = m.or("trust-settle", dto.trustSettle(), Durations::parse, Defaults.TRUST_SETTLE);
        if (settle.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new ConfigException(
                    m.where("trust-settle") + ": " + Durations.format(settle) + " (expected: 0s..1m)");
        }
        AdminLimits adminLimits = Sections.admin(m, dto);
        boolean actions = o.adminActions() != null ? o.adminActions() : Boolean.TRUE.equals(dto.adminActions());
        if (actions) {
            String where = o.adminActions() != null ? "--admin-actions" : m.where("admin-actions");
            if (admin == null) {
                throw new ConfigException(
                        where + ": admin actions need the admin endpoint (set 'admin' or pass" + " --admin)");
            }
            if (token == null) {
                throw new ConfigException(where + ": admin actions need an admin token (set 'admin-token' or pass"
                        + " --admin-token; e.g. from: openssl rand -hex 24)");
            }
        }
        int attachTo;
        if (o.attachTo() != null) {
            attachTo = checkAttachTo(o.attachTo(), "--attach-to");
        } else if (dto.attachTo() != null) {
            attachTo = checkAttachTo(dto.attachTo(), m.where("attach-to"));
        } else {
            attachTo = NetworkOptions.DEFAULT_ATTACH_TO;
        }
        return new RunConfig(
                node,
                new RunSettings(
                        key,
                        trust,
                        admin,
                        token,
                        level,
                        format,
                        nativeTransport,
                        tlsProvider,
                        settle,
                        adminLimits,
                        actions,
                        attachTo));
    }

    private static int checkAttachTo(int n, String where) {
        if (n < 0 || n > 1024) {
            throw new ConfigException(where + ": " + n + " (expected: 0..1024 validators)");
        }
        return n;
    }

    private static TransportSecurity parseTransport(String text) {
        switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "tls":
                return TransportSecurity.TLS;
            case "plaintext":
                return TransportSecurity.PLAINTEXT;
            default:
                throw new IllegalArgumentException("invalid transport '" + text + "' (expected: tls or plaintext)");
        }
    }

    /** {@code auto}, {@code epoll}, {@code io_uring} (or {@code io-uring}) or {@code nio}, any case. */
    public static NativeTransport parseNativeTransport(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (NativeTransport n : NativeTransport.values()) {
            if (n.name().equals(t)) {
                return n;
            }
        }
        throw new IllegalArgumentException(
                "invalid native transport '" + text + "' (expected: auto, epoll, io_uring or nio)");
    }

    /**
     * {@code auto} (BoringSSL where netty-tcnative loads, else the JDK's TLS), {@code openssl} (BoringSSL, or the
     * node does not start) or {@code jdk}, any case; {@code boringssl} is accepted for {@code openssl}.
     */
    public static TlsProvider parseTlsProvider(String text) {
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (t.equals("BORINGSSL")) {
            return TlsProvider.OPENSSL;
        }
        for (TlsProvider p : TlsProvider.values()) {
            if (p.name().equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("invalid tls provider '" + text + "' (expected: auto, openssl or jdk)");
    }

    private static void checkToken(String token, String where) {
        if (token.length() < 16 || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException(where + ": the admin token must be at least 16 printable characters without"
                    + " spaces (e.g. from: openssl rand -hex 24)");
        }
    }

    /** Parses values and phrases messages for one source. */
    static final class Mapper {
        private final @Nullable String source;

        Mapper(@Nullable String source) {
            this.source = source;
        }

        /** {@code "file: key"}, or the key alone when there is no file. */
        String where(String key) {
            return source == null ? key : source + ": " + key;
        }

        <T> @Nullable T opt(String key, @Nullable String text, Function<String, T> parse) {
            if (text == null) {
                return null;
            }
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where(key) + ": " + e.getMessage());
            }
        }

        <T> T or(String key, @Nullable String text, Function<String, T> parse, T fallback) {
            T v = opt(key, text, parse);
            return v != null ? v : fallback;
        }

        Path path(@Nullable Path dir, String text) {
            if (text.isBlank()) {
                throw new IllegalArgumentException("empty path (expected: a file name)");
            }
            Path p = Path.of(text);
            return dir == null || p.isAbsolute() ? p : dir.resolve(p).normalize();
        }

        List<PeerAddress> seeds(@Nullable List<String> texts) {
            if (texts == null) {
                return List.of();
            }
            List<PeerAddress> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                if (t == null) {
                    throw new ConfigException(where("seeds[" + i + "]") + ": empty (expected: host:port)");
                }
                out.add(opt("seeds[" + i + "]", t, PeerAddress::parse));
            }
            return out;
        }

        /** The {@code ban} list: node ids, each checked, named {@code ban[i]} in errors. */
        List<NodeId> banned(@Nullable List<String> texts) {
            if (texts == null) {
                return List.of();
            }
            List<NodeId> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i);
                if (t == null) {
                    throw new ConfigException(where("ban[" + i + "]") + ": empty (expected: a node id)");
                }
                out.add(opt("ban[" + i + "]", t.strip(), NodeId::parse));
            }
            return out;
        }

        ConfigException missing(String key, String flag, String what) {
            String hint = source == null
                    ? "pass " + flag + " or set '" + key + "' in a --config file"
                    : "set '" + key + "' in " + source + " or pass " + flag;
            return new ConfigException(key + ": not set (expected: " + what + "; " + hint + ")");
        }

        /**
         * Runs a record constructor and renames the key in its message to the file's spelling, e.g. {@code
         * maxInbound: -1} in section {@code limits} becomes {@code node.toml: limits.max-inbound: -1}.
         */
        <T> T section(String section, java.util.function.Supplier<T> build) {
            try {
                return build.get();
            } catch (ConfigException e) {
                String msg = String.valueOf(e.getMessage());
                int colon = msg.indexOf(':');
                if (colon <= 0) {
                    throw new ConfigException(where(section.isEmpty() ? "config" : section) + ": " + msg);
                }
                String name = msg.substring(0, colon);
                int dot = name.lastIndexOf('.');
                String field = Sections.kebab(dot >= 0 ? name.substring(dot + 1) : name);
                String prefix = dot >= 0 ? name.substring(0, dot) : section;
                String key = prefix.isEmpty() ? field : prefix + "." + field;
                throw new ConfigException(where(key) + msg.substring(colon));
            }
        }
    }
}
