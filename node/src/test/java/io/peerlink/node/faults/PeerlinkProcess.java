package io.peerlink.node.faults;

import io.peerlink.core.NodeId;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One {@code peerlink run} process inside a {@link Host}: {@code ip netns exec <ns> target/peerlink run --config
 * <dir>/<name>.toml}, with its key and config in the test's directory, admin HTTP on the host's address, short
 * heartbeats (500 ms × 3 misses: loss within 2 s), stdout and stderr appended to {@code <name>.out/.err}. The same
 * object can be started again with the same key after a kill.
 */
final class PeerlinkProcess {
    static final int PORT = 7000;
    static final int ADMIN_PORT = 9100;
    static final Duration HEARTBEAT = Duration.ofMillis(500);
    static final int MISSES = 3;
    /** What the node is configured to detect a silent peer within: interval × (misses + 1). */
    static final Duration DETECTION_BOUND = HEARTBEAT.multipliedBy(MISSES + 1L);

    static final String JAVA_OPTS = "-Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

    final String name;
    final Host host;
    final String role;
    final NodeIdentity identity;
    final Path dir;
    private final boolean tls;
    private List<String> seeds;
    private int misses = MISSES;
    private @Nullable Process process;
    private int starts;

    PeerlinkProcess(String name, Host host, String role, Path dir, boolean tls) throws IOException {
        this.name = name;
        this.host = host;
        this.role = role;
        this.dir = dir;
        this.tls = tls;
        this.identity = NodeIdentity.generate();
        this.seeds = List.of();
        KeyFiles.write(dir.resolve(name + ".key"), identity);
    }

    NodeId id() {
        return identity.id();
    }

    boolean validator() {
        return role.equals("validator");
    }

    String listen() {
        return host.ip + ":" + PORT;
    }

    Admin admin() {
        return new Admin(host.ip, ADMIN_PORT);
    }

    void seeds(List<String> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    /** Heartbeat misses allowed from the next start on (the interval stays {@link #HEARTBEAT}). */
    void misses(int misses) {
        this.misses = misses;
    }

    /** What this node detects a silent peer within, from its next start: interval × (misses + 1). */
    Duration detectionBound() {
        return HEARTBEAT.multipliedBy(misses + 1L);
    }

    Path config() throws IOException {
        Path cfg = dir.resolve(name + ".toml");
        String seedList = seeds.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(", ", "[", "]"));
        String listen = validator() ? "listen = \"" + listen() + "\"\nadvertise = \"" + listen() + "\"\n" : "";
        Files.writeString(cfg, """
                role = "%s"
                key = "%s.key"
                trust = "trust.txt"
                %sseeds = %s
                admin = "%s:%d"
                transport = "%s"
                pex-interval = "2s"
                log-level = "info"

                [timeouts]
                handshake = "3s"
                connect = "1s"
                shutdown-grace = "2s"

                [heartbeat]
                interval = "%dms"
                misses = %d

                [dial]
                max-attempts = 8
                min-backoff = "100ms"
                max-backoff = "2s"
                jitter = 0.5
                redial-interval = "1s"
                """.formatted(
                        role,
                        name,
                        listen,
                        seedList,
                        host.ip,
                        ADMIN_PORT,
                        tls ? "tls" : "plaintext",
                        HEARTBEAT.toMillis(),
                        misses));
        return cfg;
    }

    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        Path cfg = config();
        List<String> cmd = new ArrayList<>(host.inside(script().toString(), "run", "--config", cfg.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out().toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(err().toFile()));
        pb.environment().put("PEERLINK_JAVA_OPTS", JAVA_OPTS);
        Files.writeString(
                out(),
                "\n==== start " + starts + " at " + java.time.LocalTime.now() + " ====\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = pb.start();
    }

    static Path script() {
        Path p = Path.of(System.getProperty("basedir", "."), "target", "peerlink")
                .toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: the launcher is built by 'package' before failsafe");
        }
        return p;
    }

    Path out() {
        return dir.resolve(name + ".out");
    }

    Path err() {
        return dir.resolve(name + ".err");
    }

    String stdout() {
        return read(out());
    }

    String stderr() {
        return read(err());
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of stdout and stderr, for assertion messages. */
    String tail() {
        String o = stdout();
        String e = stderr();
        return name + " stdout: …" + o.substring(Math.max(0, o.length() - 3000)) + "\n" + name + " stderr: …"
                + e.substring(Math.max(0, e.length() - 2000));
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " never started");
        }
        return process.pid(); // 'ip netns exec' execs the launcher, which execs java: one pid
    }

    /** SIGKILL, then wait for the exit (bounded). */
    synchronized void kill9() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then wait for the exit; SIGKILL if it does not stop in time. Returns the exit code or -1. */
    synchronized int term(Duration wait) throws InterruptedException {
        if (process == null) {
            return -1;
        }
        if (process.isAlive()) {
            cont(); // a stopped process cannot handle SIGTERM
            process.destroy();
            if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(15, TimeUnit.SECONDS);
                return -1;
            }
        }
        return process.exitValue();
    }

    void stop() {
        signal("STOP");
    }

    void cont() {
        signal("CONT");
    }

    private void signal(String sig) {
        if (alive()) {
            Netns.check("kill", "-" + sig, Long.toString(pid()));
        }
    }

    /** Resident set size in KiB from /proc/&lt;pid&gt;/status, or -1 if the process is gone. */
    long rssKib() {
        if (!alive()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public String toString() {
        return name + "[" + role + " " + host.ip + " " + id().toString().substring(0, 10) + "…]";
    }
}
