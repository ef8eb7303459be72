package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.FileTrustRegistry;
import io.peerlink.core.trust.TrustFile;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing a node from the trust file disconnects it everywhere and keeps it out. */
class RevocationIT {
    private final List<Network> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(n -> n.stop().block(Duration.ofSeconds(10)));
    }

    @Test
    void revokedValidatorIsDroppedByEveryNodeAndRefusedWhenItDialsAgain(@TempDir Path dir) throws Exception {
        Map<io.peerlink.core.NodeId, Role> table = new LinkedHashMap<>();
        List<NodeIdentity> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NodeIdentity k = NodeIdentity.generate();
            keys.add(k);
            table.put(k.id(), Role.VALIDATOR);
        }
        Path trustFile = dir.resolve("trust.txt");
        Files.writeString(trustFile, TrustFile.format(table));
        List<FileTrustRegistry> registries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            // settle time zero: the test applies the edit itself, once, as the node's watcher would once it settled
            FileTrustRegistry registry =
                    FileTrustRegistry.builder(trustFile).settle(Duration.ZERO).load();
            registries.add(registry);
            var cfg = TestNet.config(Role.VALIDATOR)
                    .seeds(i == 0 ? List.of() : List.of(nodes.get(0).boundAddress()))
                    .build();
            Network n = new Network(
                    keys.get(i), registry, cfg, NetworkOptions.defaults().withIoThreads(1), TransportObserver.NOOP);
            nodes.add(n);
            n.start().block(Duration.ofSeconds(5));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> MeshIT.assertFullMesh(nodes));
        Network revoked = nodes.get(3);
        List<List<PeerEvent>> events = new ArrayList<>();
        for (Network n : nodes) {
            List<PeerEvent> list = new java.util.concurrent.CopyOnWriteArrayList<>();
            n.events().subscribe(list::add);
            events.add(list);
        }

        // edit the file (what an operator does), then let each registry notice it, as the node's watcher does
        table.remove(revoked.id());
        Thread.sleep(20); // a distinct modification time on coarse file systems
        Files.writeString(trustFile, TrustFile.format(table));
        registries.forEach(FileTrustRegistry::reloadIfChanged);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            for (int i = 0; i < 3; i++) {
                assertThat(TestNet.peerIds(nodes.get(i))).doesNotContain(revoked.id());
                assertThat(events.get(i))
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Disconnected.class, d -> {
                            assertThat(d.connection().peer()).isEqualTo(revoked.id());
                            assertThat(d.reason()).isEqualTo(DisconnectReason.REVOKED);
                        }));
            }
        });
        assertThatThrownBy(() -> revoked.dial(nodes.get(1).boundAddress()).block(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.REVOKED));
        // the others still form a mesh among themselves (the revoked node keeps knocking, so sockets come and go)
        for (Network n : nodes.subList(0, 3)) {
            assertThat(TestNet.peerIds(n)).hasSize(2).doesNotContain(revoked.id());
        }
    }
}
