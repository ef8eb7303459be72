package io.peerlink.benchmarks.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one load generator run measured: every figure (with its unit and details), how the run was made, and the
 * JVM flags of the generator and of the target. Written as JSON for {@code LoadReport}; each figure is also printed
 * as one result line.
 *
 * <pre>{@code
 * Results r = new Results(args);
 * r.add("handshakes", "handshakes_per_s", "peerlink-OFFLOAD", 2100, "1/s", Map.of("p99_ms", 41.0));
 * r.write(Path.of("benchmarks/target/load-result.json"));
 * }</pre>
 */
final class Results {
    /** One measured value. */
    record Figure(
            String scenario, String name, String variant, double value, String unit, Map<String, Object> details) {}

    private final Map<String, Object> meta = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();

    Results(String[] args) {
        meta.put("started", Instant.now().toString());
        meta.put("args", List.of(args));
        meta.put(
                "generatorJvmFlags",
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        meta.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        meta.put("loadAverageBefore", loadAverage());
    }

    void meta(String key, Object value) {
        meta.put(key, value);
    }

    synchronized void add(
            String scenario, String name, String variant, double value, String unit, Map<String, Object> details) {
        Figure f = new Figure(scenario, name, variant, value, unit, new LinkedHashMap<>(details));
        figures.add(f);
        System.out.printf("RESULT %-12s %-28s %-26s %14.3f %-6s %s%n", scenario, name, variant, value, unit, details);
        System.out.flush();
    }

    synchronized void write(Path file) throws IOException {
        meta.put("finished", Instant.now().toString());
        meta.put("loadAverageAfter", loadAverage());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("meta", meta);
        root.put("figures", figures);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        System.out.println("JSON " + file);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
