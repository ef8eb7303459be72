package io.peerlink.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.PexPolicy;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final String MINIMAL = "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n";

    private Path write(String text) throws IOException {
        Path f = dir.resolve("config.toml");
        Files.writeString(f, text);
        return f;
    }

    private String error(String text) throws IOException {
        Path f = write(text);
        try {
            ConfigLoader.load(f, Overrides.none());
        } catch (ConfigException e) {
            assertThat(e.getStackTrace()).isEmpty();
            return e.getMessage().replace(f.toString(), "config.toml");
        }
        throw new AssertionError("no ConfigException for:\n" + text);
    }

    @Test
    void fullExampleMapsEveryKey() throws IOException {
        Path f = write("""
                role = "gateway"
                key = "keys/node.key"
                trust = "/etc/peerlink/trust.txt"
                listen = "0.0.0.0:7000"
                advertise = "203.0.113.7:7000"
                seeds = ["10.0.0.1:7000", "[::1]:7001"]
                admin = "127.0.0.1:9100"
                admin-token = "0123456789abcdef0123"
                transport = "plaintext"
                pex-interval = "30s"
                log-level = "debug"
                log-format = "json"
                attach-to = 3

                [limits]
                max-inbound = 10
                max-outbound = 11
                max-pending-handshakes = 12
                max-pending-per-ip = 13
                max-connections-per-ip = 14
                handshake-frame-bytes = 2048
                max-frame-bytes = 65536
                pex-max-entries = 16
                challenge-bytes = 48
                accept-backlog = 512
                max-pending-outbound = 15
                handshakes-per-second-per-ip = 20
                handshake-burst-per-ip = 40

                [timeouts]
                handshake = "1500ms"
                connect = "4s"
                shutdown-grace = "1m"

                [heartbeat]
                interval = "250ms"
                misses = 5

                [dial]
                max-attempts = 3
                min-backoff = "50ms"
                max-backoff = "2s"
                jitter = 0.25
                redial-interval = "1s"
                mesh-dials-in-flight = 9

                [pex]
                max-requests-per-minute = 20
                max-announcements-per-minute = 100
                max-answer-bytes = 65536
                new-address-dials-per-minute = 40
                new-address-dials-per-node-per-minute = 2
                not-peerlink-cooldown = "30m"
                ban-duration = "1h"
                """);
        RunConfig rc = ConfigLoader.load(f, Overrides.none());
        var n = rc.node();
        assertThat(n.role()).isEqualTo(Role.GATEWAY);
        assertThat(n.listen()).isEqualTo(new PeerAddress("0.0.0.0", 7000));
        assertThat(n.advertise()).isEqualTo(new PeerAddress("203.0.113.7", 7000));
        assertThat(n.seeds()).containsExactly(new PeerAddress("10.0.0.1", 7000), new PeerAddress("::1", 7001));
        assertThat(n.transportSecurity()).isEqualTo(TransportSecurity.PLAINTEXT);
        assertThat(n.pexInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(n.limits()).isEqualTo(new Limits(10, 11, 12, 13, 14, 2048, 65536, 16, 48, 512, 15, 20, 40));
        assertThat(n.timeouts().handshake()).isEqualTo(Duration.ofMillis(1500));
        assertThat(n.timeouts().connect()).isEqualTo(Duration.ofSeconds(4));
        assertThat(n.timeouts().shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
        assertThat(n.heartbeat().interval()).isEqualTo(Duration.ofMillis(250));
        assertThat(n.heartbeat().missesAllowed()).isEqualTo(5);
        assertThat(n.dial().maxAttempts()).isEqualTo(3);
        assertThat(n.dial().minBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(n.dial().maxBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(n.dial().jitter()).isEqualTo(0.25);
        assertThat(n.dial().redialInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(n.dial().meshDialsInFlight()).isEqualTo(9);
        assertThat(n.pex())
                .isEqualTo(new PexPolicy(20, 100, 65536, 40, 2, Duration.ofMinutes(30), Duration.ofHours(1)));
        RunSettings s = rc.settings();
        assertThat(s.key()).isEqualTo(dir.resolve("keys/node.key"));
        assertThat(s.trust()).isEqualTo(Path.of("/etc/peerlink/trust.txt"));
        assertThat(s.admin()).isEqualTo(new PeerAddress("127.0.0.1", 9100));
        assertThat(s.adminToken()).isEqualTo("0123456789abcdef0123");
        assertThat(s.logLevel()).isEqualTo(LogLevel.DEBUG);
        assertThat(s.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(s.attachTo()).isEqualTo(3);
        assertThat(s.networkOptions().attachTo()).isEqualTo(3);
        assertThat(s.toString()).doesNotContain("0123456789abcdef0123");
    }

    @Test
    void minimalFileGetsDefaults() throws IOException {
        RunConfig rc = ConfigLoader.load(write(MINIMAL), Overrides.none());
        assertThat(rc.node().limits()).isEqualTo(Limits.defaults());
        assertThat(rc.node().transportSecurity())
                .isEqualTo(NodeConfig.builder().build().transportSecurity());
        assertThat(ConfigLoader.load(write(MINIMAL + "transport = \"tls\"\n"), Overrides.none())
                        .node()
                        .transportSecurity())
                .isEqualTo(TransportSecurity.TLS);
        assertThat(rc.node().listen()).isNull();
        assertThat(rc.node().seeds()).isEmpty();
        assertThat(rc.node().pexInterval()).isEqualTo(Defaults.PEX_INTERVAL);
        assertThat(rc.node().pex()).isEqualTo(PexPolicy.defaults());
        assertThat(rc.settings().admin()).isNull();
        assertThat(rc.settings().adminToken()).isNull();
        assertThat(rc.settings().logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(rc.settings().logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(rc.settings().key()).isEqualTo(dir.resolve("node.key"));
    }

    @Test
    void flagsOverrideTheFile() throws IOException {
        Path f = write(MINIMAL + "listen = \"127.0.0.1:7000\"\nseeds = [\"127.0.0.1:7001\"]\n");
        Overrides o = Overrides.builder()
                .role(Role.OBSERVER)
                .listen(PeerAddress.parse("127.0.0.1:8000"))
                .seed(PeerAddress.parse("127.0.0.1:8001"))
                .key(Path.of("other.key"))
                .plaintext(true)
                .logFormat(LogFormat.JSON)
                .build();
        RunConfig rc = ConfigLoader.load(f, o);
        assertThat(rc.node().role()).isEqualTo(Role.OBSERVER);
        assertThat(rc.node().listen()).isEqualTo(PeerAddress.parse("127.0.0.1:8000"));
        assertThat(rc.node().seeds()).containsExactly(PeerAddress.parse("127.0.0.1:8001"));
        assertThat(rc.node().transportSecurity()).isEqualTo(TransportSecurity.PLAINTEXT);
        assertThat(rc.settings().key()).isEqualTo(Path.of("other.key"));
        assertThat(rc.settings().trust()).isEqualTo(dir.resolve("trust.txt"));
        assertThat(rc.settings().logFormat()).isEqualTo(LogFormat.JSON);
    }

    @Test
    void nativeTransportComesFromTheFileOrTheFlagAndDefaultsToAuto() throws IOException {
        assertThat(ConfigLoader.load(write(MINIMAL), Overrides.none())
                        .settings()
                        .nativeTransport())
                .isEqualTo(NativeTransport.AUTO);
        Path f = write(MINIMAL + "native-transport = \"io_uring\"\n");
        RunConfig fromFile = ConfigLoader.load(f, Overrides.none());
        assertThat(fromFile.settings().nativeTransport()).isEqualTo(NativeTransport.IO_URING);
        assertThat(fromFile.settings().networkOptions().nativeTransport()).isEqualTo(NativeTransport.IO_URING);
        RunConfig flag = ConfigLoader.load(
                f, Overrides.builder().nativeTransport(NativeTransport.NIO).build());
        assertThat(flag.settings().nativeTransport()).isEqualTo(NativeTransport.NIO);
        assertThat(ConfigLoader.parseNativeTransport("io-uring")).isEqualTo(NativeTransport.IO_URING);
        assertThat(ConfigLoader.parseNativeTransport("EPOLL")).isEqualTo(NativeTransport.EPOLL);
        assertThat(error(MINIMAL + "native-transport = \"kqueue\"\n"))
                .isEqualTo("config.toml: native-transport:"
                        + " invalid native transport 'kqueue' (expected: auto, epoll, io_uring or nio)");
    }

    @Test
    void tlsProviderComesFromTheFileOrTheFlagAndDefaultsToAuto() throws IOException {
        RunConfig bare = ConfigLoader.load(write(MINIMAL), Overrides.none());
        assertThat(bare.settings().tlsProvider()).isEqualTo(TlsProvider.AUTO);
        assertThat(bare.settings().networkOptions().tlsProvider()).isEqualTo(TlsProvider.AUTO);
        Path f = write(MINIMAL + "tls-provider = \"jdk\"\n");
        RunConfig fromFile = ConfigLoader.load(f, Overrides.none());
        assertThat(fromFile.settings().tlsProvider()).isEqualTo(TlsProvider.JDK);
        assertThat(fromFile.settings().networkOptions().tlsProvider()).isEqualTo(TlsProvider.JDK);
        RunConfig flag = ConfigLoader.load(
                f, Overrides.builder().tlsProvider(TlsProvider.OPENSSL).build());
        assertThat(flag.settings().networkOptions().tlsProvider()).isEqualTo(TlsProvider.OPENSSL);
        assertThat(ConfigLoader.parseTlsProvider("OpenSSL")).isEqualTo(TlsProvider.OPENSSL);
        assertThat(ConfigLoader.parseTlsProvider(" boringssl ")).isEqualTo(TlsProvider.OPENSSL);
        assertThat(ConfigLoader.parseTlsProvider("AUTO")).isEqualTo(TlsProvider.AUTO);
        assertThat(error(MINIMAL + "tls-provider = \"conscrypt\"\n"))
                .isEqualTo("config.toml: tls-provider:"
                        + " invalid tls provider 'conscrypt' (expected: auto, openssl or jdk)");
    }

    @Test
    void adminActionsNeedTheEndpointAndAToken() throws IOException {
        assertThat(ConfigLoader.load(write(MINIMAL), Overrides.none())
                        .settings()
                        .adminActions())
                .isFalse();
        String admin = "admin = \"127.0.0.1:9100\"\n";
        String token = "admin-token = \"0123456789abcdef0123\"\n";
        assertThat(ConfigLoader.load(write(MINIMAL + admin + token + "admin-actions = true\n"), Overrides.none())
                        .settings()
                        .adminActions())
                .isTrue();
        assertThat(error(MINIMAL + token + "admin-actions = true\n"))
                .isEqualTo("config.toml: admin-actions: admin"
                        + " actions need the admin endpoint (set 'admin' or pass --admin)");
        assertThat(error(MINIMAL + admin + "admin-actions = true\n"))
                .startsWith("config.toml: admin-actions: admin"
                        + " actions need an admin token (set 'admin-token' or pass --admin-token");
        assertThat(error(MINIMAL + admin + token + "admin-actions = \"yes\"\n"))
                .contains("admin-actions")
                .contains("true or false");

        Path f = write(MINIMAL + admin + token + "admin-actions = true\n");
        assertThat(ConfigLoader.load(f, Overrides.builder().adminActions(false).build())
                        .settings()
                        .adminActions())
                .as("an override of false wins over the file")
                .isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(MINIMAL), Overrides.builder().adminActions(true).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--admin-actions: admin actions need the admin endpoint (set 'admin' or pass --admin)");
    }

    @Test
    void attachToDefaultsToTwoAndIsChecked() throws IOException {
        assertThat(ConfigLoader.load(write(MINIMAL), Overrides.none())
                        .settings()
                        .attachTo())
                .isEqualTo(2);
        assertThat(ConfigLoader.load(write(MINIMAL + "attach-to = 0\n"), Overrides.none())
                        .settings()
                        .networkOptions()
                        .attachTo())
                .isZero();
        assertThat(error(MINIMAL + "attach-to = -1\n"))
                .isEqualTo("config.toml: attach-to: -1 (expected: 0..1024 validators)");
        assertThat(error(MINIMAL + "attach-to = \"two\"\n"))
                .contains("attach-to")
                .contains("wrong type");
        assertThatThrownBy(() -> ConfigLoader.load(
                        write(MINIMAL), Overrides.builder().attachTo(5000).build()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--attach-to: 5000 (expected: 0..1024 validators)");
    }

    @Test
    void flagsAloneAreEnough() {
        RunConfig rc = ConfigLoader.load(
                null,
                Overrides.builder()
                        .key(Path.of("a.key"))
                        .trust(Path.of("t.txt"))
                        .role(Role.VALIDATOR)
                        .build());
        assertThat(rc.settings().key()).isEqualTo(Path.of("a.key"));
        assertThatThrownBy(() -> ConfigLoader.load(null, Overrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("role: not set (expected: validator, gateway or observer; pass --role or set 'role' in a"
                        + " --config file)");
    }

    @Test
    void unknownKeyIsNamed() throws IOException {
        assertThat(error(MINIMAL + "lisen = \"127.0.0.1:1\"\n"))
                .isEqualTo("config.toml: unknown key 'lisen' (did you mean 'listen'?)");
        assertThat(error(MINIMAL + "[limts]\nmax-inbound = 1\n"))
                .isEqualTo("config.toml: unknown key 'limts' (did you mean 'limits'?)");
        assertThat(error(MINIMAL + "[limits]\nmax-inbund = 1\n"))
                .isEqualTo("config.toml: unknown key 'limits.max-inbund' (did you mean 'max-inbound'?)");
        assertThat(error(MINIMAL + "[limits]\nfoo = 1\n")).isEqualTo("config.toml: unknown key 'limits.foo'");
    }

    @Test
    void wrongTypesAreNamed() throws IOException {
        assertThat(error(MINIMAL + "[limits]\nmax-inbound = \"ten\"\n"))
                .isEqualTo("config.toml: limits.max-inbound: wrong type: found a string (expected: an integer)");
        assertThat(error(MINIMAL + "[limits]\nmax-inbound = \"10\"\n"))
                .startsWith("config.toml: limits.max-inbound: wrong type");
        assertThat(error(MINIMAL + "listen = 7000\n"))
                .isEqualTo("config.toml: listen: wrong type: found an integer (expected: a string)");
        assertThat(error(MINIMAL + "seeds = \"127.0.0.1:7000\"\n"))
                .isEqualTo("config.toml: seeds: wrong type: found a string (expected: an array of strings)");
        assertThat(error(MINIMAL + "limits = 3\n")).startsWith("config.toml: limits: wrong type");
        assertThat(error(MINIMAL + "[heartbeat]\nmisses = 1.5\n"))
                .startsWith("config.toml: heartbeat.misses: wrong type");
        assertThat(error(MINIMAL + "[timeouts]\nhandshake = 2\n"))
                .isEqualTo("config.toml: timeouts.handshake: wrong type: found an integer (expected: a string)");
    }

    @Test
    void banListNamesNodeIdsRefusedForAsLongAsTheConfigRuns() throws IOException {
        NodeId a = NodeIdentity.generate().id();
        NodeId b = NodeIdentity.generate().id();
        assertThat(ConfigLoader.load(write(MINIMAL + "ban = [\"" + a + "\", \" " + b + " \"]\n"), Overrides.none())
                        .node()
                        .banned())
                .containsExactly(a, b);
        assertThat(ConfigLoader.load(write(MINIMAL), Overrides.none()).node().banned())
                .isEmpty();
    }

    @Test
    void integerJitterIsANumber() throws IOException {
        assertThat(ConfigLoader.load(write(MINIMAL + "[dial]\njitter = 1\n"), Overrides.none())
                        .node()
                        .dial()
                        .jitter())
                .isEqualTo(1.0);
    }

    @Test
    void badValuesAreNamed() throws IOException {
        assertThat(error(MINIMAL + "listen = \"x\"\n"))
                .isEqualTo("config.toml: listen: invalid address 'x' (expected: host:port)");
        assertThat(error(MINIMAL + "seeds = [\"127.0.0.1:1\", \"nope\"]\n"))
                .isEqualTo("config.toml: seeds[1]: invalid address 'nope' (expected: host:port)");
        assertThat(error(MINIMAL + "ban = [\"pl-not-an-id\"]\n")).startsWith("config.toml: ban[0]: ");
        assertThat(error("role = \"king\"\nkey = \"k\"\ntrust = \"t\"\n"))
                .isEqualTo("config.toml: role: invalid role 'king' (expected: validator, gateway or observer)");
        assertThat(error(MINIMAL + "[timeouts]\nhandshake = \"2 sec\"\n"))
                .startsWith("config.toml: timeouts.handshake: invalid duration '2 sec' (expected: ");
        assertThat(error(MINIMAL + "transport = \"ssl\"\n"))
                .isEqualTo("config.toml: transport: invalid transport 'ssl' (expected: tls or plaintext)");
        assertThat(error(MINIMAL + "log-format = \"xml\"\n"))
                .isEqualTo("config.toml: log-format: invalid log format 'xml' (expected: text or json)");
        assertThat(error(MINIMAL + "log-level = \"loud\"\n"))
                .startsWith("config.toml: log-level: invalid log level 'loud'");
        assertThat(error(MINIMAL + "admin-token = \"short\"\n"))
                .startsWith("config.toml: admin-token: the admin token must be at least 16");
    }

    @Test
    void recordChecksUseTheFileSpelling() throws IOException {
        assertThat(error(MINIMAL + "[limits]\nmax-inbound = -1\n"))
                .isEqualTo("config.toml: limits.max-inbound: -1 (expected: >= 0)");
        assertThat(error(MINIMAL + "[limits]\naccept-backlog = 0\n"))
                .isEqualTo("config.toml: limits.accept-backlog: 0 (expected: >= 1)");
        assertThat(error(MINIMAL + "[limits]\nhandshakes-per-second-per-ip = 0\n"))
                .isEqualTo("config.toml: limits.handshakes-per-second-per-ip: 0 (expected: >= 1)");
        assertThat(error(MINIMAL + "[limits]\nchallenge-bytes = 8\n"))
                .isEqualTo("config.toml: limits.challenge-bytes: 8 (expected: 16..64)");
        assertThat(error(MINIMAL + "[heartbeat]\nmisses = 0\n"))
                .isEqualTo("config.toml: heartbeat.misses: 0 (expected: >= 1)");
        assertThat(error(MINIMAL + "[timeouts]\nshutdown-grace = \"0s\"\n"))
                .isEqualTo("config.toml: timeouts.shutdown-grace: PT0S (expected: > 0)");
        assertThat(error(MINIMAL + "[dial]\nmin-backoff = \"5s\"\nmax-backoff = \"1s\"\n"))
                .startsWith("config.toml: dial.max-backoff: PT1S (expected: >= dial.minBackoff");
        assertThat(error(MINIMAL + "[dial]\njitter = 2.0\n"))
                .isEqualTo("config.toml: dial.jitter: 2.0 (expected: 0..1)");
        assertThat(error(MINIMAL + "[dial]\nmesh-dials-in-flight = 0\n"))
                .isEqualTo("config.toml: dial.mesh-dials-in-flight: 0 (expected: >= 1)");
        assertThat(error(MINIMAL
                        + "[pex]\nnew-address-dials-per-minute = 2\nnew-address-dials-per-node-per-minute = 3\n"))
                .isEqualTo("config.toml: pex.new-address-dials-per-node-per-minute: 3 (expected: 1..2)");
        assertThat(error(MINIMAL + "[pex]\nban-duration = \"0s\"\n"))
                .isEqualTo("config.toml: pex.ban-duration: PT0S (expected: > 0)");
    }

    @Test
    void missingRequiredKeysAreNamed() throws IOException {
        assertThat(error("key = \"k\"\ntrust = \"t\"\n")).startsWith("role: not set (expected: validator");
        assertThat(error("role = \"validator\"\ntrust = \"t\"\n"))
                .contains("key: not set")
                .contains("set 'key' in config.toml or pass --key");
        assertThat(error("role = \"validator\"\nkey = \"k\"\n")).contains("trust: not set");
    }

    @Test
    void syntaxErrorsAndMissingFiles() throws IOException {
        assertThat(error(MINIMAL + "listen = \n")).startsWith("config.toml:4: not valid TOML: ");
        assertThat(error(MINIMAL + "[limits\n")).contains("not valid TOML");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.toml"), Overrides.none()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + dir.resolve("nope.toml") + " does not exist");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.parse("-2s")).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of("2s", "500ms", "1m", "1h"))
                .allSatisfy(
                        t -> assertThat(Durations.format(Durations.parse(t))).isEqualTo(t));
    }
}
