package io.peerlink.node.config;

import io.peerlink.core.ConfigException;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code PEERLINK_<FLAG>} environment variables of {@code peerlink run}: one per top-level flag, the
 * flag's name in upper case with {@code _} for {@code -} ({@code --log-level} is {@code PEERLINK_LOG_LEVEL}).
 * {@code PEERLINK_SEED} takes a comma-separated list; {@code PEERLINK_PLAINTEXT} takes {@code true} or
 * {@code false}. Precedence: flag, then environment variable, then config file, then default. An empty variable
 * counts as unset.
 *
 * <pre>{@code
 * Overrides effective = flags.or(EnvOverrides.read(System.getenv()));
 * Path config = EnvOverrides.config(System.getenv());   // PEERLINK_CONFIG, or null
 * }</pre>
 */
public final class EnvOverrides {
    /** Every variable read, for docs and tests. */
    public static final List<String> NAMES = List.of(
            "PEERLINK_CONFIG",
            "PEERLINK_KEY",
            "PEERLINK_TRUST",
            "PEERLINK_ROLE",
            "PEERLINK_LISTEN",
            "PEERLINK_ADVERTISE",
            "PEERLINK_SEED",
            "PEERLINK_ADMIN",
            "PEERLINK_ADMIN_TOKEN",
            "PEERLINK_PLAINTEXT",
            "PEERLINK_LOG_LEVEL",
            "PEERLINK_LOG_FORMAT",
            "PEERLINK_NATIVE_TRANSPORT",
            "PEERLINK_TLS_PROVIDER",
            "PEERLINK_ADMIN_ACTIONS",
            "PEERLINK_ATTACH_TO");

    /** Variables of the launcher script, not of {@code peerlink run}. */
    private static final List<String> LAUNCHER = List.of("PEERLINK_JAVA_OPTS", "PEERLINK_REBUILD", "PEERLINK_CDS");

    private EnvOverrides() {}

    /**
     * The {@code PEERLINK_*} variables set that nothing reads, each with a suggestion where one is close, e.g.
     * {@code PEERLINK_SEEDS (did you mean PEERLINK_SEED?)}: a typo would otherwise be ignored silently.
     */
    public static List<String> unknown(Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (name.startsWith("PEERLINK_") && !NAMES.contains(name) && !LAUNCHER.contains(name)) {
                String close = null;
                for (String known : NAMES) {
                    if (close == null && (known.startsWith(name) || name.startsWith(known))) {
                        close = known;
                    }
                }
                out.add(close == null ? name : name + " (did you mean " + close + "?)");
            }
        }
        return out;
    }

    /**
     * The overrides the environment asks for.
     *
     * @throws ConfigException naming the variable whose value is invalid
     */
    public static Overrides read(Map<String, String> env) {
        return Overrides.builder()
                .key(get(env, "PEERLINK_KEY", Path::of))
                .trust(get(env, "PEERLINK_TRUST", Path::of))
                .role(get(env, "PEERLINK_ROLE", Role::parse))
                .listen(get(env, "PEERLINK_LISTEN", PeerAddress::parse))
                .advertise(get(env, "PEERLINK_ADVERTISE", PeerAddress::parse))
                .seeds(get(env, "PEERLINK_SEED", EnvOverrides::seeds))
                .admin(get(env, "PEERLINK_ADMIN", PeerAddress::parse))
                .adminToken(get(env, "PEERLINK_ADMIN_TOKEN", t -> t))
                .plaintext(Boolean.TRUE.equals(get(env, "PEERLINK_PLAINTEXT", EnvOverrides::bool)))
                .logLevel(get(env, "PEERLINK_LOG_LEVEL", LogLevel::parse))
                .logFormat(get(env, "PEERLINK_LOG_FORMAT", LogFormat::parse))
                .nativeTransport(get(env, "PEERLINK_NATIVE_TRANSPORT", ConfigLoader::parseNativeTransport))
                .tlsProvider(get(env, "PEERLINK_TLS_PROVIDER", ConfigLoader::parseTlsProvider))
                .adminActions(get(env, "PEERLINK_ADMIN_ACTIONS", EnvOverrides::bool))
                .attachTo(get(env, "PEERLINK_ATTACH_TO", EnvOverrides::count))
                .build();
    }

    /** {@code PEERLINK_CONFIG}, or null. */
    public static @Nullable Path config(Map<String, String> env) {
        return get(env, "PEERLINK_CONFIG", Path::of);
    }

    private static <T> @Nullable T get(Map<String, String> env, String name, Function<String, T> parse) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return parse.apply(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("environment variable " + name + ": " + e.getMessage());
        }
    }

    private static List<PeerAddress> seeds(String text) {
        List<PeerAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(PeerAddress.parse(part.strip()));
            }
        }
        return out;
    }

    private static Integer count(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > 1024) {
            throw new IllegalArgumentException("invalid value '" + text + "' (expected: a whole number, 0..1024)");
        }
        return n;
    }

    private static Boolean bool(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "true":
            case "1":
            case "yes":
                return true;
            case "false":
            case "0":
            case "no":
                return false;
            default:
                throw new IllegalArgumentException("invalid value '" + text + "' (expected: true or false)");
        }
    }
}
