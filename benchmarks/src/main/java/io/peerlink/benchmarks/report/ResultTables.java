package io.peerlink.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders results as one Markdown table per benchmark class, each row with its ratio to the class's baseline.
 *
 * <pre>{@code
 * String markdown = new ResultTables(JmhResult.readAll(json)).markdown();
 * }</pre>
 */
public final class ResultTables {
    private static final Comparator<JmhResult> BASELINES_LAST =
            Comparator.comparing(Baselines::isBaseline).thenComparing(JmhResult::method);

    private final List<JmhResult> results;
    private final Baselines baselines;

    public ResultTables(List<JmhResult> results) {
        this.results = List.copyOf(results);
        this.baselines = new Baselines(results);
    }

    /** All tables, classes and parameter sets in the order JMH ran them. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        byClass().forEach((className, rows) -> {
            out.append("### ").append(className).append("\n\n");
            out.append("| Benchmark | Params | Score (")
                    .append(rows.get(0).scoreUnit())
                    .append(") | ± (99.9% CI) | µs/op | Baseline | Ratio |\n");
            out.append("|---|---|--:|--:|--:|---|--:|\n");
            for (JmhResult row : ordered(rows)) {
                appendRow(out, row);
            }
            out.append('\n');
        });
        return out.toString();
    }

    private void appendRow(StringBuilder out, JmhResult row) {
        Optional<JmhResult> base = baselines.of(row);
        String baseName = base.map(b -> b == row ? "(is baseline)" : "`" + b.method() + "`")
                .orElse("—");
        String ratio = base.filter(b -> b != row)
                .map(b -> String.format(Locale.ROOT, "%.3f", row.score() / b.score()))
                .orElse(base.isPresent() ? "1" : "—");
        out.append("| `")
                .append(row.method())
                .append("` | ")
                .append(row.paramsText().isEmpty() ? "" : "`" + row.paramsText() + "`")
                .append(" | ")
                .append(figure(row.score()))
                .append(" | ")
                .append(relativeError(row))
                .append(" | ")
                .append(microsPerOp(row))
                .append(" | ")
                .append(baseName)
                .append(" | ")
                .append(ratio)
                .append(" |\n");
    }

    private Map<String, List<JmhResult>> byClass() {
        Map<String, List<JmhResult>> classes = new LinkedHashMap<>();
        for (JmhResult r : results) {
            classes.computeIfAbsent(r.simpleClassName(), k -> new ArrayList<>()).add(r);
        }
        return classes;
    }

    /** Groups rows by parameter set (in run order), measured methods before their baselines. */
    private static List<JmhResult> ordered(List<JmhResult> rows) {
        Map<Map<String, String>, List<JmhResult>> byParams = new LinkedHashMap<>();
        for (JmhResult r : rows) {
            byParams.computeIfAbsent(r.params(), k -> new ArrayList<>()).add(r);
        }
        List<JmhResult> ordered = new ArrayList<>();
        byParams.values().forEach(group -> group.stream().sorted(BASELINES_LAST).forEach(ordered::add));
        return ordered;
    }

    /** The confidence half-width as a share of the score, so noisy rows stand out. */
    private static String relativeError(JmhResult row) {
        if (Double.isNaN(row.scoreError()) || row.score() <= 0) {
            return "—";
        }
        return String.format(Locale.ROOT, "%.0f%%", 100 * row.scoreError() / row.score());
    }

    private static String microsPerOp(JmhResult row) {
        if (!row.scoreUnit().equals("ops/s") || row.score() <= 0) {
            return "—";
        }
        double micros = 1_000_000.0 / row.score();
        return String.format(Locale.ROOT, micros >= 100 ? "%,.0f" : micros >= 1 ? "%.2f" : "%.3f", micros);
    }

    /** Three significant digits at most after the point, thousands separated. */
    static String figure(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : "%.2f", value);
    }
}
