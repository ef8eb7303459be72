package io.peerlink.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustFile;
import io.peerlink.core.trust.TrustRefusal;
import io.peerlink.node.Node;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;

/**
 * Three validators sharing one trust file, each watching it as {@code peerlink run} does: a non-atomic rewrite
 * that leaves the file empty for 1.5 s (issue 11, failure 3) drops no link, while a real edit still applies.
 */
class TrustReloadIT {
    @TempDir
    Path dir;

    private final List<Node> nodes = new ArrayList<>();
    private final List<FileTrustRegistry> registries = new ArrayList<>();
    private final List<Disposable> watchers = new ArrayList<>();
    private final List<PeerEvent> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        watchers.forEach(Disposable::dispose);
        for (Node n : nodes) {
            n.stop().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void truncateThenWriteDropsNoLinkAndARealEditStillApplies() throws Exception {
        Map<NodeId, Role> table = new LinkedHashMap<>();
        List<NodeIdentity> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NodeIdentity k = NodeIdentity.generate();
            keys.add(k);
            table.put(k.id(), Role.VALIDATOR);
        }
        Path file = dir.resolve("trust.txt");
        String full = TrustFile.format(table);
        write(file, full);
        List<PeerAddress> seeds = new ArrayList<>();
        for (NodeIdentity k : keys) {
            FileTrustRegistry trust =
                    FileTrustRegistry.builder(file).self(k.id()).load();
            registries.add(trust);
            Node n = Node.builder()
                    .identity(k)
                    .trust(trust)
                    .config(NodeConfig.builder()
                            .role(Role.VALIDATOR)
                            .listen(PeerAddress.parse("127.0.0.1:0"))
                            .seeds(seeds)
                            .transportSecurity(TransportSecurity.PLAINTEXT)
                            .build())
                    .build();
            n.start().block(Duration.ofSeconds(10));
            nodes.add(n);
            seeds.add(n.listenAddress());
            watchers.add(TrustWatcher.watch(trust));
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> nodes.stream().allMatch(n -> n.peers().size() == 2));
        for (Node n : nodes) {
            watchers.add(
                    n.events().filter(e -> !(e instanceof PeerEvent.Connected)).subscribe(events::add));
        }

        // what `cat new > trust.txt` or a truncating editor does, slowly: empty for 1.5 s, then the new text
        write(file, "");
        Thread.sleep(1_500);
        write(file, full);
        // the refused empty file is counted, and the rewritten one has settled and been checked
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registries.stream().allMatch(r -> r.refusals(TrustRefusal.EMPTY) == 1));
        Thread.sleep(2 * 500 + 2 * 250); // two more settle times with their checks: nothing may happen late

        assertThat(events).as("no link dropped").isEmpty();
        for (Node n : nodes) {
            assertThat(n.peers()).hasSize(2);
        }
        for (FileTrustRegistry r : registries) {
            assertThat(r.snapshot()).isEqualTo(table);
        }

        // a real edit applies: drop the third node; the other two revoke it, and the third refuses to drop itself
        NodeId dropped = keys.get(2).id();
        table.remove(dropped);
        write(file, TrustFile.format(table));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(peerIds(nodes.get(0))).containsExactly(keys.get(1).id());
            assertThat(peerIds(nodes.get(1))).containsExactly(keys.get(0).id());
        });
        assertThat(events)
                .filteredOn(e -> e instanceof PeerEvent.Disconnected d && d.reason() == DisconnectReason.REVOKED)
                .isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> registries.get(2).refusals(TrustRefusal.SELF_MISSING) == 1);
        assertThat(registries.get(2).snapshot()).containsKey(dropped);
    }

    private static List<NodeId> peerIds(Node n) {
        return n.peers().stream().map(p -> p.connection().peer()).collect(Collectors.toList());
    }

    /** Rewrites in place, truncating first, as a shell redirection does (never an atomic rename). */
    private static void write(Path file, String text) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile(), false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
