package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerlink.core.PeerAddress;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import io.peerlink.node.config.Overrides;
import io.peerlink.transport.NetworkOptions.NativeTransport;
import io.peerlink.transport.TlsProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The flags {@code run} hands on: a flag left at the default that --help shows must not hide the environment. */
class RunCommandTest {
    private static RunCommand parse(Map<String, String> env, String... args) {
        RunCommand run = new RunCommand();
        run.env = env;
        new CommandLine(run).parseArgs(args);
        return run;
    }

    @Test
    void optionsWithShownDefaultsCountOnlyWhenGiven() {
        Overrides none = parse(Map.of(), "--key", "k").flags();
        assertThat(none.logLevel()).isNull();
        assertThat(none.logFormat()).isNull();
        assertThat(none.nativeTransport()).isNull();
        assertThat(none.tlsProvider()).isNull();

        Overrides given = parse(
                        Map.of(),
                        "--log-level",
                        "info",
                        "--log-format",
                        "json",
                        "--native-transport",
                        "nio",
                        "--tls-provider",
                        "auto")
                .flags();
        assertThat(given.tlsProvider()).isEqualTo(TlsProvider.AUTO);
        assertThat(given.logLevel()).isEqualTo(LogLevel.INFO);
        assertThat(given.logFormat()).isEqualTo(LogFormat.JSON);
        assertThat(given.nativeTransport()).isEqualTo(NativeTransport.NIO);
    }

    @Test
    void tlsProviderFlagWinsOverTheEnvironmentAndABadOneIsAUsageError() {
        assertThat(parse(Map.of("PEERLINK_TLS_PROVIDER", "jdk"), "--tls-provider", "openssl")
                        .overrides()
                        .tlsProvider())
                .isEqualTo(TlsProvider.OPENSSL);
        assertThat(parse(Map.of("PEERLINK_TLS_PROVIDER", "jdk"), "--key", "k")
                        .overrides()
                        .tlsProvider())
                .isEqualTo(TlsProvider.JDK);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse(Map.of(), "--tls-provider", "nss"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("invalid tls provider 'nss' (expected: auto, openssl or jdk)");
    }

    @Test
    void flagsWinOverTheEnvironmentWhichFillsTheRest() {
        Map<String, String> env = Map.of(
                "PEERLINK_LOG_LEVEL", "debug", "PEERLINK_LISTEN", "127.0.0.1:7002", "PEERLINK_LOG_FORMAT", "json");

        Overrides o =
                parse(env, "--listen", "127.0.0.1:7003", "--log-format", "text").overrides();

        assertThat(o.listen()).isEqualTo(PeerAddress.parse("127.0.0.1:7003"));
        assertThat(o.logFormat()).isEqualTo(LogFormat.TEXT);
        assertThat(o.logLevel()).as("not given as a flag: the environment's").isEqualTo(LogLevel.DEBUG);
    }

    @Test
    void adminActionsFlagTurnsThemOnAndItsAbsenceLeavesTheEnvironment() {
        assertThat(parse(Map.of(), "--key", "k").flags().adminActions()).isNull();
        assertThat(parse(Map.of(), "--admin-actions").flags().adminActions()).isTrue();
        assertThat(parse(Map.of("PEERLINK_ADMIN_ACTIONS", "yes"), "--key", "k")
                        .overrides()
                        .adminActions())
                .isTrue();
        assertThat(parse(Map.of("PEERLINK_ADMIN_ACTIONS", "0"), "--key", "k")
                        .overrides()
                        .adminActions())
                .isFalse();
    }
}
