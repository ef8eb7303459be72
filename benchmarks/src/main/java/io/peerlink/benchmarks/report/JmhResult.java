package io.peerlink.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of JMH's JSON output ({@code -rf json}): which method, with which parameters, scored what, on which JVM.
 *
 * <pre>{@code
 * List<JmhResult> results = JmhResult.readAll(Path.of("benchmarks/target/jmh-result.json"));
 * String name = results.get(0).simpleClassName() + "." + results.get(0).method();
 * }</pre>
 *
 * @param benchmark fully qualified {@code class.method}
 * @param params JMH parameters in declaration order
 * @param scoreError half-width of the 99.9% confidence interval, NaN with fewer than two iterations
 * @param run how it was run: JVM, its arguments, forks, warmup and measurement
 */
public record JmhResult(
        String benchmark,
        Map<String, String> params,
        String mode,
        double score,
        double scoreError,
        String scoreUnit,
        RunSettings run) {

    /** The parts of a result that describe how, not what, was measured. */
    public record RunSettings(
            String jvm,
            List<String> jvmArgs,
            String jdkVersion,
            String vmName,
            String vmVersion,
            String jmhVersion,
            int threads,
            int forks,
            String warmup,
            String measurement) {}

    public JmhResult {
        Objects.requireNonNull(benchmark, "benchmark");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Objects.requireNonNull(run, "run");
    }

    /** Parses a JMH JSON result file. */
    public static List<JmhResult> readAll(Path json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + ": not a JMH JSON result (expected: a top-level array)");
        }
        List<JmhResult> results = new ArrayList<>();
        for (JsonNode node : root) {
            results.add(of(node));
        }
        return results;
    }

    static JmhResult of(JsonNode node) {
        Map<String, String> params = new LinkedHashMap<>();
        node.path("params")
                .properties()
                .forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        List<String> jvmArgs = new ArrayList<>();
        node.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
        JsonNode metric = node.path("primaryMetric");
        RunSettings run = new RunSettings(
                node.path("jvm").asText(),
                List.copyOf(jvmArgs),
                node.path("jdkVersion").asText(),
                node.path("vmName").asText(),
                node.path("vmVersion").asText(),
                node.path("jmhVersion").asText(),
                node.path("threads").asInt(),
                node.path("forks").asInt(),
                node.path("warmupIterations").asInt() + " × "
                        + node.path("warmupTime").asText(),
                node.path("measurementIterations").asInt() + " × "
                        + node.path("measurementTime").asText());
        return new JmhResult(
                node.path("benchmark").asText(),
                params,
                node.path("mode").asText(),
                number(metric.path("score")),
                number(metric.path("scoreError")),
                metric.path("scoreUnit").asText(),
                run);
    }

    /** JMH writes NaN as the string {@code "NaN"}. */
    private static double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : Double.NaN;
    }

    /** The benchmark class without its package, e.g. {@code EnvelopeCodecBenchmark}. */
    public String simpleClassName() {
        String owner = benchmark.substring(0, benchmark.lastIndexOf('.'));
        return owner.substring(owner.lastIndexOf('.') + 1);
    }

    /** The benchmark method, e.g. {@code encode}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** Parameters as {@code k=v, k=v}, or the empty string. */
    public String paramsText() {
        StringBuilder text = new StringBuilder();
        params.forEach((k, v) -> text.append(text.length() == 0 ? "" : ", ")
                .append(k)
                .append('=')
                .append(v));
        return text.toString();
    }
}
