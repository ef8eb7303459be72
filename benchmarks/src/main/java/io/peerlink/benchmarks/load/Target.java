package io.peerlink.benchmarks.load;

import io.peerlink.core.NodeId;
import io.peerlink.core.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A running {@link TargetMain} process, its port and node id.
 *
 * <pre>{@code
 * try (Target t = Target.peerlink(settings, "OFFLOAD", 1024)) { ... t.port() ... }
 * }</pre>
 */
record Target(ChildJvm jvm, int port, String id) implements AutoCloseable {

    /** A peerlink target trusting dialer identities {@code [0, trusted)} of {@link LoadKeys} as observers. */
    static Target peerlink(Settings s, String placement, int trusted) throws IOException {
        return peerlink(s, placement, trusted, "plaintext");
    }

    static Target peerlink(Settings s, String placement, int trusted, String security) throws IOException {
        return peerlink(s, placement, trusted, security, null);
    }

    /** As above, the target pinned to {@code cpus} ({@code taskset -c}) unless that is null. */
    static Target peerlink(Settings s, String placement, int trusted, String security, @Nullable String cpus)
            throws IOException {
        Path trust = s.work.resolve("trust-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".txt");
        LoadKeys.writeTrust(trust, 0, trusted, Role.OBSERVER);
        return start(
                s,
                cpus,
                List.of(
                        "--mode",
                        "peerlink",
                        "--trust",
                        trust.toString(),
                        "--crypto",
                        placement,
                        "--security",
                        security,
                        "--transport",
                        s.transport));
    }

    /** The raw Netty baseline server. */
    static Target raw(Settings s) throws IOException {
        return start(s, null, List.of("--mode", "raw"));
    }

    private static Target start(Settings s, @Nullable String cpus, List<String> args) throws IOException {
        List<String> prefix = cpus == null ? List.of() : List.of("taskset", "-c", cpus);
        ChildJvm jvm = ChildJvm.start(prefix, s.targetJvm, TargetMain.class, new ArrayList<>(args));
        try {
            String id = jvm.expect("ID ", Duration.ofSeconds(60));
            int port = Integer.parseInt(jvm.expect("PORT ", Duration.ofSeconds(30)));
            jvm.expect("READY", Duration.ofSeconds(30));
            return new Target(jvm, port, id);
        } catch (RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    NodeId nodeId() {
        return NodeId.parse(id);
    }

    /** Messages counted by the target so far, and the target's clock when it counted. */
    long[] count() {
        String[] parts =
                jvm.ask("count", "COUNT ", Duration.ofSeconds(10)).trim().split(" ");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[2])};
    }

    int links() {
        return Integer.parseInt(
                jvm.ask("links", "LINKS ", Duration.ofSeconds(10)).trim());
    }

    /** {@code heap=… rss=… direct=… links=…} after three {@code System.gc()}. */
    String gc() {
        return jvm.ask("gc", "GC ", Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        jvm.close();
    }
}
