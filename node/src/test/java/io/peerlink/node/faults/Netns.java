package io.peerlink.node.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@code ip}, {@code iptables} and {@code tc} with a timeout and checks exit codes, and owns one test
 * network: a bridge {@code plbr-<run>} with a private /24 in {@code 10.77.0.0/16}, the root namespace holding
 * {@code .254} on it, and the hosts ({@link Host}) attached to it. Names carry a random run id; a marker file
 * under {@code /run/peerlink-faults/} holds the owning JVM's pid, so {@link #cleanLeftovers()} removes only what
 * a dead run left behind, never another live run's network.
 *
 * <pre>{@code
 * Netns net = Netns.create();            // bridge + root address; registers a shutdown hook
 * Host a = net.addHost();                // namespace + veth + 10.77.x.1
 * net.close();                           // hosts, processes in them, bridge
 * }</pre>
 */
final class Netns implements AutoCloseable {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Path MARKERS = Path.of("/run/peerlink-faults");

    /** The outcome of one command. */
    record Result(int exit, String output) {}

    final String run;
    final String bridge;
    final int subnet;
    private final List<Host> hosts = new ArrayList<>();
    private final Thread hook;
    private boolean closed;

    private Netns(String run, int subnet) {
        this.run = run;
        this.bridge = "plbr-" + run;
        this.subnet = subnet;
        this.hook = new Thread(this::closeQuietly, "netns-cleanup-" + run);
    }

    /** Runs a command, waiting at most {@link #COMMAND_TIMEOUT}; output is stdout and stderr merged. */
    static Result exec(String... cmd) {
        return exec(COMMAND_TIMEOUT, cmd);
    }

    static Result exec(Duration timeout, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            // outputs are short; read after exit, within the timeout
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", cmd));
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    /** Runs a command and fails with its output unless it exits 0. */
    static String check(String... cmd) {
        Result r = exec(cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException("'" + String.join(" ", cmd) + "' exited " + r.exit() + ": "
                    + r.output().strip());
        }
        return r.output();
    }

    static boolean isRoot() {
        Result r = exec("id", "-u");
        return r.exit() == 0 && r.output().strip().equals("0");
    }

    /**
     * Why this machine cannot run the harness, or null if it can: not root, or {@code ip netns add} fails.
     * Creates and deletes a probe namespace.
     */
    static @Nullable String unsupportedReason() {
        if (!isRoot()) {
            return "not running as root (network namespaces need CAP_NET_ADMIN)";
        }
        if (exec("ip", "-V").exit() != 0) {
            return "the 'ip' command (iproute2) is missing";
        }
        String probe = "plns-probe-" + ProcessHandle.current().pid();
        Result add = exec("ip", "netns", "add", probe);
        exec("ip", "netns", "del", probe);
        if (add.exit() != 0) {
            return "'ip netns add' fails here: " + add.output().strip();
        }
        return null;
    }

    /**
     * Makes sure {@code iptables} exists, installing the Debian package when running as root; returns why it is
     * unavailable, or null.
     */
    static synchronized @Nullable String ensureIptables() {
        if (exec("iptables", "-V").exit() == 0) {
            return null;
        }
        if (!isRoot()) {
            return "iptables is missing and this is not root";
        }
        if (exec("sh", "-c", "command -v apt-get").exit() != 0) {
            return "iptables is missing and there is no apt-get to install it";
        }
        Duration t = Duration.ofMinutes(4);
        Result update = exec(t, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq");
        Result install = exec(
                t,
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "iptables");
        if (exec("iptables", "-V").exit() != 0) {
            return "installing iptables failed: " + tail(update.output()) + " / " + tail(install.output());
        }
        return null;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(t.length() - 300) : t;
    }

    /**
     * Removes networks left by earlier runs whose JVM is gone: processes in their namespaces, the namespaces,
     * veths and bridges (by the {@code pl*-<run>} names) and the marker.
     */
    static void cleanLeftovers() {
        String links = exec("ip", "-o", "link", "show", "type", "bridge").output();
        List<String> runs = new ArrayList<>();
        for (String line : links.split("\n")) {
            String[] parts = line.split(":\\s+");
            if (parts.length >= 2 && parts[1].startsWith("plbr-")) {
                runs.add(parts[1].substring(5).split("@")[0]);
            }
        }
        for (String ns : exec("ip", "netns", "list").output().split("\n")) {
            String name = ns.split("\\s")[0];
            if (name.startsWith("plns-") && name.length() > 10) {
                String r = name.substring(5, 9);
                if (!runs.contains(r)) {
                    runs.add(r);
                }
            }
        }
        for (String r : runs) {
            if (!ownerAlive(r)) {
                removeRun(r);
            }
        }
    }

    private static boolean ownerAlive(String run) {
        try {
            Path marker = MARKERS.resolve(run);
            if (!Files.exists(marker)) {
                return false;
            }
            long pid = Long.parseLong(Files.readString(marker).strip());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void removeRun(String run) {
        for (String ns : exec("ip", "netns", "list").output().split("\n")) {
            String name = ns.split("\\s")[0];
            if (name.startsWith("plns-" + run + "-")) {
                killAllIn(name);
                exec("ip", "netns", "del", name);
            }
        }
        exec("ip", "link", "del", "plbr-" + run);
        try {
            Files.deleteIfExists(MARKERS.resolve(run));
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** SIGKILLs every process in a namespace (bounded: a few rounds). */
    static void killAllIn(String ns) {
        for (int round = 0; round < 5; round++) {
            String pids = exec("ip", "netns", "pids", ns).output().strip();
            if (pids.isEmpty() || exec("ip", "netns", "pids", ns).exit() != 0) {
                return;
            }
            for (String pid : pids.split("\\s+")) {
                if (pid.matches("\\d+")) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A new network with a random run id and an unused 10.77.N.0/24. */
    static Netns create() throws IOException {
        cleanLeftovers();
        String addrs = exec("ip", "-o", "-4", "addr", "show").output();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int subnet = -1;
        for (int i = 0; i < 100; i++) {
            int candidate = 1 + rnd.nextInt(250);
            if (!addrs.contains("10.77." + candidate + ".")) {
                subnet = candidate;
                break;
            }
        }
        if (subnet < 0) {
            throw new IllegalStateException("no free 10.77.N.0/24 subnet");
        }
        String run = String.format(Locale.ROOT, "%04x", rnd.nextInt(0x10000));
        Netns net = new Netns(run, subnet);
        Files.createDirectories(MARKERS);
        Files.writeString(
                MARKERS.resolve(run), Long.toString(ProcessHandle.current().pid()));
        Runtime.getRuntime().addShutdownHook(net.hook);
        try {
            check("ip", "link", "add", net.bridge, "type", "bridge");
            check("ip", "addr", "add", net.rootAddress() + "/24", "dev", net.bridge);
            check("ip", "link", "set", net.bridge, "up");
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** The root namespace's address on the bridge (admin clients and the delay proxy use it). */
    String rootAddress() {
        return "10.77." + subnet + ".254";
    }

    synchronized Host addHost() {
        int n = hosts.size() + 1;
        Host h = new Host(this, n, "10.77." + subnet + "." + n);
        hosts.add(h);
        h.create();
        return h;
    }

    synchronized List<Host> hosts() {
        return List.copyOf(hosts);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Host h : hosts) {
            h.destroy();
        }
        exec("ip", "link", "del", bridge);
        try {
            Files.deleteIfExists(MARKERS.resolve(run));
        } catch (IOException ignored) {
            // best effort
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // already shutting down: this is the hook
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // the JVM is exiting
        }
    }

    /** Whether anything of this run is still there (for the test's own leak check). */
    boolean anythingLeft() {
        String links = exec("ip", "-o", "link", "show").output();
        String ns = exec("ip", "netns", "list").output();
        return links.contains(bridge) || ns.contains("plns-" + run + "-");
    }

    static String join(String... parts) {
        return String.join(" ", Arrays.asList(parts));
    }
}
