package io.peerlink.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The skeleton of a new {@code docs/benchmarks.md} (resource {@code benchmarks-template.md}): what each benchmark
 * measures, how to run it, an empty {@code jmh} marked section, and the load generator's place.
 *
 * <pre>{@code
 * String doc = new MarkedSection("jmh").replace(ReportTemplate.document(), generatedMarkdown);
 * }</pre>
 */
public final class ReportTemplate {
    private static final String RESOURCE = "benchmarks-template.md";

    private ReportTemplate() {}

    public static String document() {
        try (InputStream in = ReportTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
