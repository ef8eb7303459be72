package io.peerlink.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.ConfigException;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where each setting of {@code peerlink run} comes from: flag, then PEERLINK_* variable, then file, then default. */
class PrecedenceTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private Path file(String text) throws IOException {
        return Files.writeString(
                dir.resolve("node.toml"), "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n" + text);
    }

    private RunConfig load(Path file, Overrides flags) {
        return ConfigLoader.load(file, flags.or(EnvOverrides.read(env)));
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws IOException {
        Path withListen = file("listen = \"127.0.0.1:7001\"\nlog-level = \"warn\"\n");
        Path bare = file("");
        Overrides flag = Overrides.builder()
                .listen(PeerAddress.parse("127.0.0.1:7003"))
                .logLevel(LogLevel.ERROR)
                .build();
        env.put("PEERLINK_LISTEN", "127.0.0.1:7002");
        env.put("PEERLINK_LOG_LEVEL", "debug");

        RunConfig fromFlag = load(withListen, flag);
        assertThat(fromFlag.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7003"));
        assertThat(fromFlag.settings().logLevel()).isEqualTo(LogLevel.ERROR);

        RunConfig fromEnv = load(withListen, Overrides.none());
        assertThat(fromEnv.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7002"));
        assertThat(fromEnv.settings().logLevel()).isEqualTo(LogLevel.DEBUG);

        env.clear();
        Files.writeString(
                withListen,
                "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n"
                        + "listen = \"127.0.0.1:7001\"\nlog-level = \"warn\"\n");
        RunConfig fromFile = load(withListen, Overrides.none());
        assertThat(fromFile.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7001"));
        assertThat(fromFile.settings().logLevel()).isEqualTo(LogLevel.WARN);

        Files.writeString(bare, "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n");
        RunConfig defaults = load(bare, Overrides.none());
        assertThat(defaults.node().listen()).isNull();
        assertThat(defaults.settings().logLevel()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void everyTopLevelFlagHasAVariable() throws IOException {
        env.put("PEERLINK_KEY", "/keys/env.key");
        env.put("PEERLINK_TRUST", "/etc/env-trust.txt");
        env.put("PEERLINK_ROLE", "observer");
        env.put("PEERLINK_LISTEN", "127.0.0.1:7100");
        env.put("PEERLINK_ADVERTISE", "203.0.113.9:7100");
        env.put("PEERLINK_SEED", "10.0.0.1:7000, 10.0.0.2:7000");
        env.put("PEERLINK_ADMIN", "127.0.0.1:9100");
        env.put("PEERLINK_ADMIN_TOKEN", "0123456789abcdef0123");
        env.put("PEERLINK_PLAINTEXT", "true");
        env.put("PEERLINK_LOG_LEVEL", "trace");
        env.put("PEERLINK_LOG_FORMAT", "json");
        env.put("PEERLINK_NATIVE_TRANSPORT", "nio");
        env.put("PEERLINK_TLS_PROVIDER", "jdk");
        env.put("PEERLINK_ADMIN_ACTIONS", "true");
        env.put("PEERLINK_ATTACH_TO", "3");
        env.put("PEERLINK_CONFIG", "/etc/peerlink/node.toml");

        RunConfig rc = ConfigLoader.load(null, Overrides.none().or(EnvOverrides.read(env)));

        assertThat(rc.settings().key()).isEqualTo(Path.of("/keys/env.key"));
        assertThat(rc.settings().trust()).isEqualTo(Path.of("/etc/env-trust.txt"));
        assertThat(rc.node().role()).isEqualTo(Role.OBSERVER);
        assertThat(rc.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7100"));
        assertThat(rc.node().advertise()).isEqualTo(PeerAddress.parse("203.0.113.9:7100"));
        assertThat(rc.node().seeds())
                .containsExactly(PeerAddress.parse("10.0.0.1:7000"), PeerAddress.parse("10.0.0.2:7000"));
        assertThat(rc.settings().admin()).isEqualTo(PeerAddress.parse("127.0.0.1:9100"));
        assertThat(rc.settings().adminToken()).isEqualTo("0123456789abcdef0123");
        assertThat(rc.node().transportSecurity()).isEqualTo(TransportSecurity.PLAINTEXT);
        assertThat(rc.settings().logLevel()).isEqualTo(LogLevel.TRACE);
        assertThat(rc.settings().logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(rc.settings().nativeTransport()).isEqualTo(NativeTransport.NIO);
        assertThat(rc.settings().tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(rc.settings().adminActions()).isTrue();
        assertThat(rc.settings().attachTo()).isEqualTo(3);
        assertThat(EnvOverrides.config(env)).isEqualTo(Path.of("/etc/peerlink/node.toml"));
        assertThat(EnvOverrides.NAMES).containsExactlyInAnyOrderElementsOf(env.keySet());
    }

    @Test
    void attachToFlagBeatsVariableBeatsFileBeatsDefault() throws IOException {
        Path f = file("attach-to = 4\n");
        env.put("PEERLINK_ATTACH_TO", "3");
        assertThat(load(f, Overrides.builder().attachTo(5).build()).settings().attachTo())
                .isEqualTo(5);
        assertThat(load(f, Overrides.none()).settings().attachTo()).isEqualTo(3);
        env.clear();
        assertThat(load(f, Overrides.none()).settings().attachTo()).isEqualTo(4);
        assertThat(load(file(""), Overrides.none()).settings().attachTo()).isEqualTo(2);

        env.put("PEERLINK_ATTACH_TO", "many");
        assertThatThrownBy(() -> EnvOverrides.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable PEERLINK_ATTACH_TO: invalid value 'many' (expected: a whole number,"
                        + " 0..1024)");
        env.put("PEERLINK_ATTACH_TO", "-3");
        assertThatThrownBy(() -> EnvOverrides.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable PEERLINK_ATTACH_TO: invalid value '-3' (expected: a whole number,"
                        + " 0..1024)");
    }

    @Test
    void tlsProviderFlagBeatsVariableBeatsFile() throws IOException {
        Path f = file("tls-provider = \"openssl\"\n");
        assertThat(load(f, Overrides.none()).settings().tlsProvider()).isEqualTo(TlsProvider.OPENSSL);
        env.put("PEERLINK_TLS_PROVIDER", "jdk");
        assertThat(load(f, Overrides.none()).settings().tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(load(f, Overrides.builder().tlsProvider(TlsProvider.AUTO).build())
                        .settings()
                        .networkOptions()
                        .tlsProvider())
                .isEqualTo(TlsProvider.AUTO);
        env.put("PEERLINK_TLS_PROVIDER", "rustls");
        assertThatThrownBy(() -> load(f, Overrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable PEERLINK_TLS_PROVIDER:"
                        + " invalid tls provider 'rustls' (expected: auto, openssl or jdk)");
    }

    @Test
    void seedFlagsReplaceTheVariableAndTheVariableReplacesTheFile() throws IOException {
        Path f = file("seeds = [\"10.9.9.9:7000\"]\n");
        env.put("PEERLINK_SEED", "10.0.0.1:7000");

        assertThat(load(f, Overrides.none()).node().seeds()).containsExactly(PeerAddress.parse("10.0.0.1:7000"));
        assertThat(load(
                                f,
                                Overrides.builder()
                                        .seed(PeerAddress.parse("10.0.0.3:7000"))
                                        .build())
                        .node()
                        .seeds())
                .containsExactly(PeerAddress.parse("10.0.0.3:7000"));
        env.clear();
        assertThat(load(f, Overrides.none()).node().seeds()).containsExactly(PeerAddress.parse("10.9.9.9:7000"));
    }

    @Test
    void emptyVariablesAreUnset() throws IOException {
        env.put("PEERLINK_LISTEN", "  ");
        env.put("PEERLINK_PLAINTEXT", "false");
        Path f = file("listen = \"127.0.0.1:7001\"\ntransport = \"plaintext\"\n");

        RunConfig rc = load(f, Overrides.none());

        assertThat(rc.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7001"));
        assertThat(rc.node().transportSecurity())
                .as("false leaves the file's transport alone")
                .isEqualTo(TransportSecurity.PLAINTEXT);
    }

    @Test
    void badVariablesAreNamed() {
        env.put("PEERLINK_LISTEN", "x");
        assertThatThrownBy(() -> EnvOverrides.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable PEERLINK_LISTEN: invalid address 'x' (expected: host:port)");
        env.put("PEERLINK_LISTEN", "127.0.0.1:1");
        env.put("PEERLINK_PLAINTEXT", "maybe");
        assertThatThrownBy(() -> EnvOverrides.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PEERLINK_PLAINTEXT: invalid value 'maybe' (expected: true or false)");
        env.remove("PEERLINK_PLAINTEXT");
        env.put("PEERLINK_ROLE", "king");
        assertThatThrownBy(() -> EnvOverrides.read(env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("PEERLINK_ROLE: invalid role 'king'");
    }

    @Test
    void unknownPeerlinkVariablesAreNamedWithASuggestion() {
        env.put("PEERLINK_SEEDS", "10.0.0.1:7000");
        env.put("PEERLINK_FROB", "x");
        env.put("PEERLINK_JAVA_OPTS", "-Xmx1g");
        env.put("PEERLINK_LISTEN", "127.0.0.1:1");
        env.put("HOME", "/root");

        assertThat(EnvOverrides.unknown(env))
                .containsExactly("PEERLINK_FROB", "PEERLINK_SEEDS (did you mean PEERLINK_SEED?)");
    }

    @Test
    void adminLimitsAndTrustSettleComeFromTheFile() throws IOException {
        RunConfig rc = load(
                file("trust-settle = \"2s\"\nadmin-idle-timeout = \"5s\"\n"
                        + "admin-request-timeout = \"1s\"\nadmin-max-connections = 3\n"),
                Overrides.none());

        assertThat(rc.settings().trustSettle()).hasSeconds(2);
        assertThat(rc.settings().adminLimits().idleTimeout()).hasSeconds(5);
        assertThat(rc.settings().adminLimits().requestTimeout()).hasSeconds(1);
        assertThat(rc.settings().adminLimits().maxConnections()).isEqualTo(3);
    }

    @Test
    void adminLimitsAndTrustSettleAreValidated() throws IOException {
        Path f = file("admin-max-connections = 0\n");
        assertThatThrownBy(() -> load(f, Overrides.none()))
                .hasMessage(f + ": admin-max-connections: 0 (expected:" + " 1..100000)");
        Path g = file("admin-idle-timeout = \"10ms\"\n");
        assertThatThrownBy(() -> load(g, Overrides.none()))
                .hasMessage(g + ": admin-idle-timeout: 10ms (expected:" + " 100ms..1h)");
        Path h = file("trust-settle = \"2m\"\n");
        assertThatThrownBy(() -> load(h, Overrides.none())).hasMessage(h + ": trust-settle: 2m (expected: 0s..1m)");
        Path i = file("admin-request-timeout = \"soon\"\n");
        assertThatThrownBy(() -> load(i, Overrides.none()))
                .hasMessageStartingWith(i + ": admin-request-timeout:" + " invalid duration 'soon'");
    }

    @Test
    void theFileInitWritesLoadsWithEveryDefault() throws IOException {
        Path f = Files.writeString(dir.resolve("init.toml"), NodeToml.render(Role.VALIDATOR, "node.key", "trust.txt"));
        RunConfig rc = ConfigLoader.load(f, Overrides.none());
        RunConfig defaults = ConfigLoader.load(
                null,
                Overrides.builder()
                        .role(Role.VALIDATOR)
                        .key(dir.resolve("node.key"))
                        .trust(dir.resolve("trust.txt"))
                        .listen(PeerAddress.parse("0.0.0.0:7000"))
                        .build());

        assertThat(rc.node()).isEqualTo(defaults.node());
        assertThat(rc.settings()).isEqualTo(defaults.settings());
        assertThat(List.of(NodeToml.render(Role.OBSERVER, "k", "t").split("\n")))
                .as("an observer only dials")
                .anySatisfy(l -> assertThat(l).startsWith("# listen = "))
                .noneSatisfy(l -> assertThat(l).startsWith("listen = "));
    }
}
