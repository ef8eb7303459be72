package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        assertThat(launcher.run(T, "id", "--key", key.toString()).stdout().strip())
                .isEqualTo(id);
    }

    @Test
    void helpAndVersionOnEveryCommand() throws Exception {
        for (String cmd : new String[] {"init", "keygen", "id", "run", "devnet", "simulate", "version"}) {
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
    void theLauncherStartsTheJvmFromTheBuildsClassDataSharingArchive() throws Exception {
        Path archive = Launcher.script().resolveSibling("lib").resolve("peerlink.jsa");
        assertThat(archive).as("written by the build's cds-archive execution").isRegularFile();
        String log = " -Xlog:cds=info";
        Launcher.Result on = launcher.run(T, Map.of("PEERLINK_JAVA_OPTS", Launcher.JAVA_OPTS + log), "version");
        assertThat(on.exitCode()).isZero();
        assertThat(on.stdout()).contains("Mapped dynamic region");
        Launcher.Result off = launcher.run(
                T, Map.of("PEERLINK_JAVA_OPTS", Launcher.JAVA_OPTS + log, "PEERLINK_CDS", "off"), "version");
        assertThat(off.exitCode()).isZero();
        assertThat(off.stdout()).doesNotContain("Mapped dynamic region").contains("peerlink 0.");
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
        assertOneLineError(
                config(
                        "settle.toml",
                        "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n"
                                + "trust-settle = \"5m\"\n"),
                "settle.toml: trust-settle: 5m (expected: 0s..1m)");
        assertOneLineError(
                config(
                        "cap.toml",
                        "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\n"
                                + "admin-max-connections = 0\n"),
                "cap.toml: admin-max-connections: 0 (expected: 1..100000)");
        String base = "role = \"validator\"\nkey = \"node.key\"\ntrust = \"trust.txt\"\ntransport = \"plaintext\"\n";

        assertOneLineError(
                config("unknown.toml", base + "[limts]\nmax-inbound = 3\n"), "unknown.toml: unknown key 'limts'");
        assertOneLineError(
                config("type.toml", base + "[limits]\nmax-inbound = \"many\"\n"),
                "type.toml: limits.max-inbound: wrong type");
        assertOneLineError(
                config("address.toml", base + "listen = \"x\"\n"),
                "address.toml: listen: invalid address 'x' (expected: host:port)");
        assertOneLineError(config("nokey.toml", base.replace("node.key", "absent.key")), "absent.key does not exist");
        assertOneLineError(
                config("notrust.toml", base.replace("trust.txt", "absent.txt")), "absent.txt does not exist");
        assertOneLineError(config("syntax.toml", base + "listen = \n"), "syntax.toml:5: not valid TOML");
        assertOneLineError(
                launcher.run(T, "run", "--config", "nothere.toml"), "config file nothere.toml does not exist");
    }

    /** A key (mode 0600) and its id. */
    private String keygen(String file) throws Exception {
        Launcher.Result r = launcher.run(T, "keygen", "--out", file);
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout().strip();
    }

    @Test
    void runRefusesAKeyFileOthersCanRead() throws Exception {
        String id = keygen("node.key");
        Files.writeString(dir.resolve("trust.txt"), id + " validator\n");
        Files.setPosixFilePermissions(dir.resolve("node.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertOneLineError(
                launcher.run(T, "run", "--key", "node.key", "--trust", "trust.txt", "--role", "validator"),
                "key file node.key is accessible by group or others (mode rw-r--r--",
                "fix it with: chmod 600 node.key");
    }

    @Test
    void runRefusesATrustFileThatCannotAdmitThisNode() throws Exception {
        String id = keygen("node.key");
        String other = keygen("other.key");
        String[] run = {"run", "--key", "node.key", "--trust", "trust.txt", "--role", "validator", "--plaintext"};

        Files.writeString(dir.resolve("trust.txt"), "");
        assertOneLineError(launcher.run(T, run), "trust file trust.txt lists no node", "'" + id + " validator'");
        Files.writeString(dir.resolve("trust.txt"), "# nobody yet\n\n");
        assertOneLineError(launcher.run(T, run), "trust file trust.txt lists no node");
        Files.writeString(dir.resolve("trust.txt"), other + " validator\n");
        assertOneLineError(launcher.run(T, run), "does not list this node " + id);
        Files.writeString(dir.resolve("trust.txt"), id + " observer\n");
        assertOneLineError(launcher.run(T, run), "lists this node " + id + " as observer but it runs as validator");
    }

    @Test
    void forcedBoringSslWithoutItsNativeLibraryExitsTwoWithTheCause() throws Exception {
        String id = keygen("node.key");
        Files.writeString(dir.resolve("trust.txt"), id + " validator\n");
        // Netty's own switch makes netty-tcnative unavailable, as on a platform it has no native library for
        Map<String, String> noBoringSsl =
                Map.of("PEERLINK_JAVA_OPTS", Launcher.JAVA_OPTS + " -Dio.netty.handler.ssl.noOpenSsl=true");
        String[] run = {"run", "--key", "node.key", "--trust", "trust.txt", "--role", "validator"};
        String[] forced = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(run), java.util.stream.Stream.of("--tls-provider", "openssl"))
                .toArray(String[]::new);

        assertOneLineError(
                launcher.run(T, noBoringSsl, forced),
                "tls provider openssl: netty-tcnative cannot load here: OpenSSL was explicit disabled",
                "tls-provider = \"auto\" or \"jdk\"");
        Map<String, String> viaEnv = new java.util.HashMap<>(noBoringSsl);
        viaEnv.put("PEERLINK_TLS_PROVIDER", "openssl");
        assertOneLineError(launcher.run(T, viaEnv, run), "tls provider openssl: netty-tcnative cannot load here");
    }

    @Test
    void badEnvironmentVariablesExitTwoNamingTheVariable() throws Exception {
        assertOneLineError(
                launcher.run(T, Map.of("PEERLINK_ROLE", "king"), "run"),
                "environment variable PEERLINK_ROLE: invalid role 'king'");
        assertOneLineError(
                launcher.run(T, Map.of("PEERLINK_LISTEN", "nowhere"), "run"),
                "environment variable PEERLINK_LISTEN: invalid address 'nowhere'");
        assertOneLineError(
                launcher.run(T, Map.of("PEERLINK_CONFIG", "from-env.toml"), "run"),
                "config file from-env.toml does not exist");
    }

    @Test
    void versionHelpAndCompletion() throws Exception {
        Launcher.Result version = launcher.run(T, "version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("peerlink 0.").contains("JVM: ");

        Launcher.Result help = launcher.run(T, "help", "run");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout())
                .contains("Usage: peerlink run")
                .contains("Default: info.")
                .contains("Default: text.")
                .contains("Default: auto")
                .contains("PEERLINK_<FLAG>");
        assertThat(launcher.run(T, "init", "--help").stdout()).contains("default: validator");

        Launcher.Result completion = launcher.run(T, "generate-completion");
        assertThat(completion.exitCode()).as(completion.stderr()).isZero();
        assertThat(completion.stdout()).contains("complete -F");
    }

    @Test
    void initWritesANodeThatRunsAndLogsWithDatesAndItsId() throws Exception {
        Launcher.Result init = launcher.run(T, "init", "--dir", "n1");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        String id = init.stdout().lines().findFirst().orElseThrow();
        assertThat(id).matches("pl[0-9a-f]{40}");
        Path n1 = dir.resolve("n1");
        assertThat(Files.getPosixFilePermissions(n1.resolve("node.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(n1.resolve("trust.txt"))).contains(id + " validator");
        assertThat(Files.readString(n1.resolve("node.toml")))
                .contains("role = \"validator\"")
                .contains("[limits]")
                .contains("admin-max-connections = 64");
        String before = Files.readString(n1.resolve("node.toml"));
        assertOneLineError(launcher.run(T, "init", "--dir", "n1"), "n1/node.key already exists; refusing to overwrite");
        assertThat(Files.readString(n1.resolve("node.toml"))).isEqualTo(before);

        int[] ports = Launcher.freePorts(2);
        // listen from the environment, admin from a flag; the file's 0.0.0.0:7000 loses to both
        Launcher.Child node = launcher.start(
                Map.of("PEERLINK_LISTEN", "127.0.0.1:" + ports[0]),
                "run",
                "--config",
                "n1/node.toml",
                "--plaintext",
                "--admin",
                "127.0.0.1:" + ports[1],
                "--seed",
                "127.0.0.1:" + ports[0],
                "--seed",
                "nosuchhost.invalid:7000");
        await().atMost(T).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(node.process().isAlive()).as(node.stderr()).isTrue();
            assertThat(node.stdout())
                    .contains("listening on 127.0.0.1:" + ports[0])
                    .contains("admin http://127.0.0.1:" + ports[1])
                    .contains("seed 127.0.0.1:" + ports[0] + " is this node itself")
                    .contains("seed nosuchhost.invalid:7000: host 'nosuchhost.invalid' cannot be resolved");
        });
        String shortId = id.substring(0, 10);
        assertThat(node.stdout().lines().filter(l -> l.contains(" running: node ")))
                .singleElement()
                .asString()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  " + shortId
                        + " \\[main\\] .*");
        assertThat(node.stdout().lines().filter(l -> l.contains("is this node itself")))
                .singleElement()
                .asString()
                .contains(" WARN  " + shortId + " ");

        Launcher.signal(node.process(), "TERM");
        assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.process().exitValue()).as(node.stderr()).isZero();
    }

    @Test
    void aTakenPortExitsTwoAndATakenAdminPortFailsBeforeTheNodeListens() throws Exception {
        String id = keygen("node.key");
        Files.writeString(dir.resolve("trust.txt"), id + " validator\n");
        int[] ports = Launcher.freePorts(2);
        try (ServerSocket taken = new ServerSocket(ports[1], 1, InetAddress.getLoopbackAddress())) {
            Launcher.Result admin = launcher.run(
                    T,
                    "run",
                    "--key",
                    "node.key",
                    "--trust",
                    "trust.txt",
                    "--role",
                    "validator",
                    "--plaintext",
                    "--listen",
                    "127.0.0.1:" + ports[0],
                    "--admin",
                    "127.0.0.1:" + taken.getLocalPort());
            assertOneLineError(admin, "cannot serve admin HTTP on 127.0.0.1:" + ports[1], "Address already in use");
            assertThat(admin.stdout()).as("nothing listened for peers").doesNotContain("started, listening");

            Launcher.Result listen = launcher.run(
                    T,
                    "run",
                    "--key",
                    "node.key",
                    "--trust",
                    "trust.txt",
                    "--role",
                    "validator",
                    "--plaintext",
                    "--listen",
                    "127.0.0.1:" + taken.getLocalPort());
            assertOneLineError(listen, "cannot listen on 127.0.0.1:" + ports[1]);
        }
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
