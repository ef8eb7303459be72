package io.peerlink.node.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * {@code peerlink_build_info{version, java, java_vendor, os, arch} 1}: which build runs where, in the Prometheus
 * {@code *_info} convention (join it onto other series with {@code * on(instance) group_left(version)}).
 *
 * <pre>{@code
 * BuildInfo.bind(registry, "0.1.0");
 * }</pre>
 */
public final class BuildInfo {
    static final String NAME = "peerlink.build.info";

    private BuildInfo() {}

    /** The peerlink version this jar carries, or {@code development build} when run from classes. */
    public static String version() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v != null ? v : "development build";
    }

    /** Registers the gauge with the JVM's and OS's properties and the given peerlink version. */
    public static void bind(MeterRegistry registry, String version) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(version, "version");
        Gauge.builder(NAME, () -> 1)
                .description("Always 1; the labels say which peerlink build runs on which JVM and OS")
                .tags(
                        "version",
                        version,
                        "java",
                        System.getProperty("java.version", "unknown"),
                        "java_vendor",
                        System.getProperty("java.vendor", "unknown"),
                        "os",
                        System.getProperty("os.name", "unknown"),
                        "arch",
                        System.getProperty("os.arch", "unknown"))
                .register(registry);
    }
}
