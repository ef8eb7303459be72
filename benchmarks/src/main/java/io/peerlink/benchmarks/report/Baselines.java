package io.peerlink.benchmarks.report;

import io.peerlink.benchmarks.AbstractBenchmark;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the baseline a result is compared with: a method of the same class, run with the same parameters, named
 * {@code baseline} + the method's name ({@code encode} → {@code baselineEncode}), else {@code baseline}.
 *
 * <pre>{@code
 * Optional<JmhResult> base = new Baselines(results).of(encodeResult);
 * }</pre>
 */
public final class Baselines {
    private final List<JmhResult> results;

    public Baselines(List<JmhResult> results) {
        this.results = List.copyOf(results);
    }

    /** Whether {@code result} is itself a baseline. */
    public static boolean isBaseline(JmhResult result) {
        return result.method().startsWith(AbstractBenchmark.BASELINE_PREFIX);
    }

    /** The baseline of {@code result}: itself if it is one, empty if its class has none that fits. */
    public Optional<JmhResult> of(JmhResult result) {
        if (isBaseline(result)) {
            return Optional.of(result);
        }
        String method = result.method();
        String paired = AbstractBenchmark.BASELINE_PREFIX
                + method.substring(0, 1).toUpperCase(Locale.ROOT)
                + method.substring(1);
        Optional<JmhResult> exact = find(result, paired);
        return exact.isPresent() ? exact : find(result, AbstractBenchmark.BASELINE_PREFIX);
    }

    private Optional<JmhResult> find(JmhResult result, String method) {
        String owner = result.benchmark().substring(0, result.benchmark().lastIndexOf('.'));
        return results.stream()
                .filter(r -> r.benchmark().equals(owner + "." + method))
                .filter(r -> r.params().equals(result.params()) && r.mode().equals(result.mode()))
                .findFirst();
    }
}
