package io.peerlink.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code target/peerlink} (built by {@code package}) as a child process with stdout and stderr captured to
 * files, and keeps track of every process so {@link #destroyAll()} can clean up after a test.
 *
 * <pre>{@code
 * Launcher launcher = new Launcher(tempDir);
 * Launcher.Result r = launcher.run(Duration.ofSeconds(60), "id", "--key", "a.key");
 * }</pre>
 */
final class Launcher {
    /** Small, quick-starting child JVMs: the machine running the tests may have two cores. */
    static final String JAVA_OPTS = "-Xmx192m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto";

    private final Path work;
    private final List<Process> processes = new ArrayList<>();
    private int count;

    Launcher(Path work) {
        this.work = work;
    }

    static Path script() {
        Path p = Path.of(System.getProperty("basedir", "."), "target", "peerlink")
                .toAbsolutePath();
        assertThat(p)
                .as("the launcher is built by 'package' before failsafe runs")
                .isExecutable();
        return p;
    }

    /** A running child. */
    record Child(Process process, Path out, Path err) {
        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** A finished child. */
    record Result(int exitCode, String stdout, String stderr) {}

    Child start(String... args) throws IOException {
        return start(java.util.Map.of(), args);
    }

    /** Starts a child with extra environment variables. */
    Child start(java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (ignores(ProcessHandle.current().pid(), 2) && new java.io.File("/usr/bin/perl").canExecute()) {
            // a background job of a non-interactive shell starts with SIGINT ignored, and an ignored signal stays
            // ignored across exec; restore the default so the child can be interrupted like from a terminal
            cmd.addAll(List.of("/usr/bin/perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
        }
        cmd.add(script().toString());
        cmd.addAll(List.of(args));
        int n = ++count;
        Path out = work.resolve("proc-" + n + ".out");
        Path err = work.resolve("proc-" + n + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("PEERLINK_"));
        pb.environment().put("PEERLINK_JAVA_OPTS", JAVA_OPTS);
        pb.environment().putAll(env);
        Process p = pb.start();
        processes.add(p);
        return new Child(p, out, err);
    }

    Result run(Duration timeout, String... args) throws IOException, InterruptedException {
        return run(timeout, java.util.Map.of(), args);
    }

    /** Runs a child with extra environment variables to its end. */
    Result run(Duration timeout, java.util.Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Child c = start(env, args);
        if (!c.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            c.process().destroyForcibly();
            throw new AssertionError("peerlink " + String.join(" ", args) + " did not finish within " + timeout
                    + "\nstdout:\n" + c.stdout() + "\nstderr:\n" + c.stderr());
        }
        return new Result(c.process().exitValue(), c.stdout(), c.stderr());
    }

    /** Sends a signal by name (INT, TERM) to a child. */
    static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Whether a process ignores a signal (inherited from its parent, e.g. SIGINT of a background job). */
    static boolean ignores(Process p, int signal) throws IOException {
        return ignores(p.pid(), signal);
    }

    static boolean ignores(long pid, int signal) throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }

    /** Distinct free loopback ports. */
    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    void destroyAll() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        processes.clear();
    }

    static Duration timeout(int seconds) {
        return Duration.ofSeconds(seconds);
    }
}
