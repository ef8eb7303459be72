package io.peerlink.node.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Collects each scenario's outcome and timings and writes {@code target/faults-report.md}. Registered as a JUnit
 * extension so a failed or skipped scenario is recorded with its reason.
 */
final class FaultReport implements TestWatcher {
    private final Map<String, List<String>> facts = new LinkedHashMap<>();
    private final Map<String, String> outcomes = new LinkedHashMap<>();
    private final List<String> header = new ArrayList<>();

    synchronized void header(String line) {
        header.add(line);
    }

    /** Records one timing or fact of a scenario, e.g. {@code "detection 412 ms"}. */
    synchronized void fact(String scenario, String fact) {
        facts.computeIfAbsent(scenario, k -> new ArrayList<>()).add(fact);
    }

    private static String scenario(ExtensionContext ctx) {
        return ctx.getDisplayName();
    }

    @Override
    public synchronized void testSuccessful(ExtensionContext ctx) {
        outcomes.put(scenario(ctx), "PASS");
    }

    @Override
    public synchronized void testFailed(ExtensionContext ctx, Throwable cause) {
        String msg = String.valueOf(cause.getMessage()).split("\n")[0];
        outcomes.put(scenario(ctx), "FAIL: " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg));
    }

    @Override
    public synchronized void testAborted(ExtensionContext ctx, Throwable cause) {
        outcomes.put(scenario(ctx), "SKIPPED: " + cause.getMessage());
    }

    @Override
    public synchronized void testDisabled(ExtensionContext ctx, Optional<String> reason) {
        outcomes.put(scenario(ctx), "SKIPPED: " + reason.orElse("disabled"));
    }

    synchronized void write(Path file) {
        StringBuilder b = new StringBuilder("# peerlink fault scenarios across network namespaces\n\n");
        b.append("Run at ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(".\n\n");
        for (String h : header) {
            b.append("- ").append(h).append('\n');
        }
        b.append("\n| scenario | result | timings and facts |\n| --- | --- | --- |\n");
        List<String> names = new ArrayList<>(outcomes.keySet());
        for (String s : facts.keySet()) {
            if (!names.contains(s)) {
                names.add(s);
            }
        }
        for (String s : names) {
            String facts = String.join("; ", this.facts.getOrDefault(s, List.of()));
            b.append("| ")
                    .append(s)
                    .append(" | ")
                    .append(outcomes.getOrDefault(s, "not run").replace("|", "/"))
                    .append(" | ")
                    .append(facts.replace("|", "/"))
                    .append(" |\n");
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            System.err.println("cannot write " + file + ": " + e);
        }
    }
}
