package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerlink.core.ConfigException;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.trust.FileTrustRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks {@code peerlink run} makes before it starts: trust file, key file mode, seeds, watcher period. */
class StartChecksTest {
    static final NodeId ME = NodeId.parse("pl" + "aa".repeat(20));
    static final NodeId OTHER = NodeId.parse("pl" + "bb".repeat(20));

    @TempDir
    Path dir;

    private FileTrustRegistry trust(String text) throws IOException {
        return FileTrustRegistry.load(Files.writeString(dir.resolve("trust.txt"), text));
    }

    @Test
    void trustFileMustListThisNodeWithItsRole() throws IOException {
        assertThatCode(() -> TrustChecks.atStart(ME, Role.VALIDATOR, trust(ME + " validator\n")))
                .doesNotThrowAnyException();

        assertThatThrownBy(() -> TrustChecks.atStart(ME, Role.VALIDATOR, trust("")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("lists no node (expected: at least this node's line '" + ME + " validator')");
        assertThatThrownBy(() -> TrustChecks.atStart(ME, Role.VALIDATOR, trust("# only\n# comments\n")))
                .hasMessageContaining("lists no node");
        assertThatThrownBy(() -> TrustChecks.atStart(ME, Role.VALIDATOR, trust(OTHER + " validator\n")))
                .hasMessageContaining("does not list this node " + ME + " (expected: a line '" + ME + " validator'");
        assertThatThrownBy(() -> TrustChecks.atStart(ME, Role.VALIDATOR, trust(ME + " observer\n")))
                .hasMessageContaining("lists this node " + ME + " as observer but it runs as validator");
    }

    @Test
    void keyFileOpenToGroupOrOthersIsRefusedWithTheChmodThatFixesIt() throws IOException {
        Path key = Files.writeString(dir.resolve("node.key"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThatCode(() -> KeyPermissions.check(key)).doesNotThrowAnyException();
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        assertThatCode(() -> KeyPermissions.check(key)).doesNotThrowAnyException();

        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----"}) {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
            assertThatThrownBy(() -> KeyPermissions.check(key))
                    .as(mode)
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("key file " + key + " is accessible by group or others (mode " + mode
                            + "; expected: rw------- as written by peerlink keygen); fix it with: chmod 600 " + key);
        }
        assertThatCode(() -> KeyPermissions.check(dir.resolve("absent.key")))
                .as("reported when read")
                .doesNotThrowAnyException();
    }

    @Test
    void chmodHintQuotesAPathWithSpaces() throws IOException {
        Path key = Files.writeString(dir.resolve("my node.key"), "x");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThatThrownBy(() -> KeyPermissions.check(key)).hasMessageEndingWith("chmod 600 '" + key + "'");
    }

    @Test
    void aSeedIsThisNodeWhenItReachesItsListenOrAdvertisedSocket() throws IOException {
        InetAddress[] loopback = InetAddress.getAllByName("127.0.0.1");
        PeerAddress seed = PeerAddress.parse("127.0.0.1:7000");

        assertThat(SeedChecks.isSelf(seed, loopback, PeerAddress.parse("127.0.0.1:7000")))
                .isTrue();
        assertThat(SeedChecks.isSelf(seed, loopback, PeerAddress.parse("0.0.0.0:7000")))
                .as("wildcard")
                .isTrue();
        assertThat(SeedChecks.isSelf(
                        PeerAddress.parse("localhost:7000"),
                        InetAddress.getAllByName("localhost"),
                        PeerAddress.parse("127.0.0.1:7000")))
                .isTrue();
        assertThat(SeedChecks.isSelf(seed, loopback, PeerAddress.parse("127.0.0.1:7001")))
                .isFalse();
        assertThat(SeedChecks.isSelf(seed, loopback, null)).isFalse();
        assertThat(SeedChecks.isSelf(
                        PeerAddress.parse("192.0.2.1:7000"),
                        InetAddress.getAllByName("192.0.2.1"),
                        PeerAddress.parse("127.0.0.1:7000")))
                .isFalse();
    }

    @Test
    void theWatcherChecksTwicePerSettleTime() {
        assertThat(TrustWatcher.period(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(250));
        assertThat(TrustWatcher.period(Duration.ofMillis(20))).isEqualTo(Duration.ofMillis(50));
        assertThat(TrustWatcher.period(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TrustWatcher.period(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
    }
}
