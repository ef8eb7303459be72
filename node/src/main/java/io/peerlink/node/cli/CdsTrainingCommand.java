package io.peerlink.node.cli;

import com.google.protobuf.ByteString;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.identity.KeyFiles;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.node.admin.AdminServer;
import io.peerlink.node.config.ConfigLoader;
import io.peerlink.node.config.LogFormat;
import io.peerlink.node.config.LogLevel;
import io.peerlink.node.config.Overrides;
import io.peerlink.transport.InboundMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import reactor.core.publisher.Mono;

/**
 * {@code peerlink cds-training} (hidden): the training run of the build's class-data-sharing archive. It goes through
 * what {@code peerlink run} loads at start: two nodes from config files and key files, admin HTTP, metrics, logging,
 * a TLS handshake, one message and a graceful stop, all in one process on loopback. The build runs it once with
 * {@code -XX:ArchiveClassesAtExit} (node/pom.xml, execution {@code cds-archive}); the launcher then starts every
 * JVM from the archive, which roughly halves the time from {@code peerlink run} to a listening node. Exit 0 when the
 * two nodes linked and the message arrived, 1 otherwise.
 */
@Command(
        name = "cds-training",
        hidden = true,
        description = "Start two nodes on loopback, link them, stop (builds the class-data-sharing archive).")
final class CdsTrainingCommand implements Callable<Integer> {
    private static final Duration LINK_TIMEOUT = Duration.ofSeconds(30);

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("peerlink-cds-training");
        try {
            return train(dir);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static int train(Path dir) throws IOException {
        NodeIdentity a = NodeIdentity.generate();
        NodeIdentity b = NodeIdentity.generate();
        KeyFiles.write(dir.resolve("a.key"), a);
        KeyFiles.write(dir.resolve("b.key"), b);
        Files.writeString(dir.resolve("trust.txt"), a.id() + " validator\n" + b.id() + " validator\n");
        Logging.configure(LogLevel.WARN, LogFormat.TEXT, null);
        NodeRuntime first = start(dir, "a", null);
        NodeRuntime second = null;
        try {
            PeerAddress seed = Objects.requireNonNull(first.node().listenAddress(), "listen address");
            // listening before the second node exists: the events are not replayed, so a Connected signalled
            // before a later subscription would be missed and the training would wait out its timeout
            CompletableFuture<PeerEvent> linked = first.node()
                    .events()
                    .filter(e -> e instanceof PeerEvent.Connected)
                    .next()
                    .toFuture();
            second = start(dir, "b", seed);
            Mono.fromFuture(linked).block(LINK_TIMEOUT);
            InboundMessage got = second.node()
                    .receive("cds")
                    .next()
                    .doOnSubscribe(s -> first.node()
                            .send(b.id(), "cds", ByteString.copyFromUtf8("warm"))
                            .subscribe())
                    .block(LINK_TIMEOUT);
            if (got == null) {
                return PeerlinkCli.FAILURE;
            }
            fetch(first, "/peers");
            fetch(first, "/metrics");
            return 0;
        } finally {
            if (second != null) {
                second.stop(Duration.ofSeconds(5));
            }
            first.stop(Duration.ofSeconds(5));
            Logging.flush();
        }
    }

    private static NodeRuntime start(Path dir, String name, @Nullable PeerAddress seed) throws IOException {
        Path toml = dir.resolve(name + ".toml");
        List<String> lines = new ArrayList<>(List.of(
                "role = \"validator\"",
                "key = \"" + dir.resolve(name + ".key") + "\"",
                "trust = \"" + dir.resolve("trust.txt") + "\"",
                "listen = \"127.0.0.1:0\"",
                "admin = \"127.0.0.1:0\""));
        if (seed != null) {
            lines.add("seeds = [\"" + seed + "\"]");
        }
        Files.write(toml, lines, StandardCharsets.UTF_8);
        return CheckedNode.load(ConfigLoader.load(toml, Overrides.none())).start();
    }

    private static void fetch(NodeRuntime rt, String path) throws IOException {
        AdminServer admin = rt.admin();
        if (admin == null) {
            return;
        }
        URL url = URI.create(admin.url() + path).toURL();
        try (InputStream in = url.openStream()) {
            in.readAllBytes();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((x, y) -> y.compareTo(x)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temp directory left behind is harmless
        }
    }
}
