package io.peerlink.benchmarks.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM on the same class path, driven by line commands on its stdin and read line by line on its stdout;
 * its stderr goes to the parent's. Closing it asks it to quit and kills it (by its own pid) if it does not.
 *
 * <pre>{@code
 * try (ChildJvm target = ChildJvm.start(List.of("-Xmx1g"), TargetMain.class, List.of("--trust", "t.txt"))) {
 *     int port = Integer.parseInt(target.expect("PORT ", Duration.ofSeconds(30)));
 *     String gc = target.ask("gc", "GC ", Duration.ofSeconds(30));
 * }
 * }</pre>
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> command;

    private ChildJvm(Process process, List<String> command) {
        this.process = process;
        this.command = command;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String l;
                        while ((l = r.readLine()) != null) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                },
                "child-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ChildJvm start(List<String> jvmFlags, Class<?> main, List<String> args) throws IOException {
        return start(List.of(), jvmFlags, main, args);
    }

    /** As above, with {@code prefix} before the {@code java} command (e.g. {@code taskset -c 0}). */
    static ChildJvm start(List<String> prefix, List<String> jvmFlags, Class<?> main, List<String> args)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(java);
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new ChildJvm(p, cmd);
    }

    long pid() {
        return process.pid();
    }

    List<String> command() {
        return command;
    }

    /** Waits for a line starting with {@code prefix} and returns the rest of it; other lines are skipped. */
    String expect(String prefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String l;
            try {
                l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for '" + prefix + "'");
            }
            if (l == null) {
                throw new IllegalStateException("child " + process.pid() + " gave no '" + prefix + "' line within "
                        + timeout + (process.isAlive() ? "" : " (it exited with " + process.exitValue() + ")"));
            }
            if (l.startsWith(prefix)) {
                return l.substring(prefix.length());
            }
        }
    }

    void send(String command) {
        try {
            stdin.write(command + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new IllegalStateException("child " + process.pid() + " does not take commands: " + e.getMessage());
        }
    }

    String ask(String command, String prefix, Duration timeout) {
        lines.clear();
        send(command);
        return expect(prefix, timeout);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                send("quit");
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (IllegalStateException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** Parses {@code key=value} pairs of a line such as {@code heap=1 rss=2}. */
    static long field(String line, String key) {
        for (String part : line.trim().split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return Long.parseLong(part.substring(key.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + key + " in '" + line + "'");
    }
}
