package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, id, and every kind of user mistake, through the built launcher. */
class CliIT {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Launcher launcher;

    @BeforeEach
    void setUp() {
        launcher = new Launcher(dir);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        launcher.destroyAll();
    }

    @Test
    void keygenAndIdPrintTheSameIdAndTheKeyIsPrivate() throws Exception {
        Launcher.Result keygen = launcher.run(T, "keygen", "--out", "keys/a.key");
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
        String id = keygen.stdout().strip();
        assertThat(id).matches("pl[0-9a-f]{40}");
        Path key = dir.resolve("keys/a.key");
        assertThat(Files.getPosixFilePermissions(key))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");

        Launcher.Result show = launcher.run(T, "id", "--key", key.toString());
        assertThat(show.exitCode()).isZero();
        assertThat(show.stdout().strip()).isEqualTo(id);

        Launcher.Result again = launcher.run(T, "keygen", "--out", "keys/a.key");
        assertOneLineError(again, "already exists");
        assertThat(launcher.run(T, "id", "--key", key.toString()).stdout().strip()).isEqualTo(id);
    }

    @Test
    void helpAndVersionOnEveryCommand() throws Exception {
        for (String cmd : new String[] {"keygen", "id", "run", "devnet"}) {
            Launcher.Result help = launcher.run(T, cmd, "--help");
            assertThat(help.exitCode()).as(cmd).isZero();
            assertThat(help.stdout()).as(cmd).contains("Usage: peerlink " + cmd);
            Launcher.Result version = launcher.run(T, cmd, "--version");
            assertThat(version.exitCode()).as(cmd).isZero();
            assertThat(version.stdout()).startsWith("peerlink ");
        }
        assertThat(launcher.run(T, "--version").stdout()).startsWith("peerlink 0.");
    }

    @Test
    void badFlagsExitTwoWithOneLine() throws Exception {
        assertOneLineError(launcher.run(T, "run", "--bogus"), "--bogus");
        assertOneLineError(launcher.run(T, "run", "--listen", "x"), "--listen", "invalid address 'x'");
        assertOneLineError(launcher.run(T, "run", "--role", "king"), "--role", "invalid role 'king'");
        assertOneLineError(launcher.run(T, "keygen"), "--out");
        assertOneLineError(launcher.run(T, "id", "--key", "missing.key"), "missing.key", "does not exist");
        assertOneLineError(launcher.run(T, "frobnicate"), "frobnicate");
        assertOneLineError(launcher.run(T, "run", "--key", "a.key", "--trust", "t.txt"), "role: not set");
        assertOneLineError(launcher.run(T, "devnet", "--validators", "0"), "--validators");
    }

    @Test
    void badConfigFilesExitTwoNamingTheProblem() throws Exception {
        Launcher.Result ok = launcher.run(T, "keygen", "--out", "node.key");
        assertThat(ok.exitCode()).isZero();
        Files.writeString(dir.resolve("trust.txt"), ok.stdout().strip() + " validator\n");
        String base = "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\ntransport = \"plaintext\"\n";

        assertOneLineError(config("unknown.toml", base + "[limts]\nmax-inbound = 3\n"),
                "unknown.toml: unknown key 'limts'");
        assertOneLineError(config("type.toml", base + "[limits]\nmax-inbound = \"many\"\n"),
                "type.toml: limits.max-inbound: wrong type");
        assertOneLineError(config("address.toml", base + "listen = \"x\"\n"),
                "address.toml: listen: invalid address 'x' (expected: host:port)");
        assertOneLineError(config("nokey.toml", base.replace("node.key", "absent.key")),
                "absent.key does not exist");
        assertOneLineError(config("notrust.toml", base.replace("trust.txt", "absent.txt")),
                "absent.txt does not exist");
        assertOneLineError(config("syntax.toml", base + "listen = \n"), "syntax.toml:5: not valid TOML");
        assertOneLineError(launcher.run(T, "run", "--config", "nothere.toml"),
                "config file nothere.toml does not exist");
    }

    private Launcher.Result config(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text);
        return launcher.run(T, "run", "--config", name);
    }

    static void assertOneLineError(Launcher.Result r, String... fragments) {
        assertThat(r.exitCode()).as("exit code; stderr: %s", r.stderr()).isEqualTo(2);
        String err = r.stderr().strip();
        assertThat(err.lines()).as("stderr: %s", err).hasSize(1);
        assertThat(err).startsWith("peerlink: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(err).contains(f);
        }
    }
}
