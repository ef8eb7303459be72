package io.peerlink.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the figures were measured on, read when the report is generated: CPU model and count from
 * {@code /proc/cpuinfo}, memory, kernel, and the output of {@code java -version} for the running JVM's binary.
 *
 * <pre>{@code
 * String markdown = Machine.describe().markdown();
 * }</pre>
 *
 * @param javaVersion the full output of {@code java -version}
 */
public record Machine(String cpuModel, int logicalCpus, String memory, String kernel, String javaVersion) {

    /** Reads the machine this JVM runs on; unreadable facts become {@code "unknown"}. */
    public static Machine describe() {
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.stream()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst()
                .orElse("unknown");
        long processors =
                cpuinfo.stream().filter(l -> l.startsWith("processor")).count();
        String memory = lines(Path.of("/proc/meminfo")).stream()
                .filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / (1024 * 1024) + " GiB")
                .findFirst()
                .orElse("unknown");
        String kernel = lines(Path.of("/proc/sys/kernel/osrelease")).stream()
                .findFirst()
                .orElse("unknown");
        return new Machine(
                model, (int) processors, memory, kernel, runJavaVersion().orElse("unknown"));
    }

    public String markdown() {
        return "- CPU: " + cpuModel + ", " + logicalCpus + " logical CPUs (`/proc/cpuinfo`)\n"
                + "- Memory: " + memory + "; kernel " + kernel + "\n"
                + "- `java -version` when this section was generated:\n\n"
                + "```\n" + javaVersion.strip() + "\n```\n";
    }

    private static Optional<String> runJavaVersion() {
        Optional<String> java = ProcessHandle.current().info().command();
        if (java.isEmpty()) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(java.get(), "-version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path);
        } catch (IOException e) {
            return List.of();
        }
    }
}
