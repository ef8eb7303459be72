package io.peerlink.node.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Observer failover across network namespaces: three validators and an observer ({@code attach-to} 2, the default)
 * seeded with ONE validator, each on its own host. First the other validator it attached to is killed with
 * {@code kill -9}, then (after that one is back) the link to the seed is made half-dead (iptables DROP both ways: no
 * reset ever arrives, only the heartbeat can tell); each time the observer must dial a validator it learned by peer
 * exchange and be attached to two live validators again within the loss-detection bound (plus the harness's slack
 * for polling on two busy cores). The measured times are printed.
 */
class NetnsFailoverIT {
    /** Polling the admin endpoints and scheduling on 2 busy cores, as in {@link NetnsFaultIT}. */
    static final Duration SLACK = NetnsFaultIT.SLACK;

    private Path dir;
    private Netns net;
    private final List<PeerlinkProcess> validators = new ArrayList<>();
    private PeerlinkProcess observer;

    @BeforeEach
    void setUp() throws Exception {
        String reason = Netns.unsupportedReason();
        Assumptions.assumeTrue(reason == null, "skipping the network-namespace failover test: " + reason);
        Assumptions.assumeTrue(Netns.ensureIptables() == null, "iptables is not available");
        dir = Files.createTempDirectory("peerlink-failover-");
        net = Netns.create();
        for (int i = 1; i <= 3; i++) {
            validators.add(new PeerlinkProcess("v" + i, net.addHost(), "validator", dir, true));
        }
        observer = new PeerlinkProcess("obs", net.addHost(), "observer", dir, true);
        StringBuilder trust = new StringBuilder("# written by NetnsFailoverIT\n");
        for (PeerlinkProcess p : all()) {
            trust.append(p.id()).append(' ').append(p.role).append('\n');
        }
        Files.writeString(dir.resolve("trust.txt"), trust);
        for (int i = 1; i < 3; i++) {
            validators.get(i).seeds(List.of(validators.get(0).listen()));
        }
        observer.seeds(List.of(validators.get(0).listen()));
        for (PeerlinkProcess p : all()) {
            p.start();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (PeerlinkProcess p : all()) {
                p.kill9();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private List<PeerlinkProcess> all() {
        List<PeerlinkProcess> out = new ArrayList<>(validators);
        if (observer != null) {
            out.add(observer);
        }
        return out;
    }

    private Set<String> linked(PeerlinkProcess p) throws Exception {
        return p.admin().peers().stream().map(Admin.Peer::id).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<PeerlinkProcess> ps) {
        return ps.stream().map(p -> p.id().toString()).collect(Collectors.toSet());
    }

    private boolean linked(PeerlinkProcess from, PeerlinkProcess to) {
        try {
            return linked(to).contains(from.id().toString());
        } catch (Exception e) {
            return false;
        }
    }

    /** Milliseconds from {@code t0} until the observer is linked to exactly {@code expected}. */
    private long awaitAttached(String what, Set<String> expected, long t0, Duration atMost) {
        await(what)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(linked(observer)).isEqualTo(expected));
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void observerFailsOverFromAHalfDeadLinkAndFromAKilledValidatorWithinTheDetectionBound() throws Exception {
        PeerlinkProcess seed = validators.get(0);
        await("validators meshed")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (PeerlinkProcess v : validators) {
                        assertThat(linked(v))
                                .containsAll(ids(
                                        validators.stream().filter(x -> x != v).toList()));
                    }
                });
        await("the observer holds its seed and one learned validator")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(linked(observer))
                        .hasSize(2)
                        .contains(seed.id().toString()));
        Duration bound = PeerlinkProcess.DETECTION_BOUND.plus(SLACK);
        String seedId = seed.id().toString();
        PeerlinkProcess learned = validators.stream()
                .filter(v -> v != seed && linked(v, observer))
                .findFirst()
                .orElseThrow();
        PeerlinkProcess spare = validators.stream()
                .filter(v -> v != seed && v != learned)
                .findFirst()
                .orElseThrow();

        // 1. kill -9 of the learned validator: the observer must dial the spare (it knows it by peer exchange only)
        long t0 = System.nanoTime();
        learned.kill9();
        long killed = awaitAttached(
                "attached to the seed and the spare", Set.of(seedId, spare.id().toString()), t0, bound.plusSeconds(10));
        System.out.printf(
                "NetnsFailoverIT: kill -9 of an attached validator: attached to 2 validators again %d ms after the"
                        + " kill (detection bound %d ms)%n",
                killed, PeerlinkProcess.DETECTION_BOUND.toMillis());
        assertThat(killed).isLessThanOrEqualTo(bound.toMillis());

        // the killed validator comes back with the same key; two links are enough, so the observer stays put
        learned.start();
        await("validators meshed again")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(linked(learned)).containsAll(ids(List.of(seed, spare))));
        assertThat(linked(observer)).isEqualTo(Set.of(seedId, spare.id().toString()));

        // 2. the link to the seed goes half-dead: every packet between the two hosts is dropped, no reset arrives;
        // only the heartbeat can tell, and then the observer must dial the restarted validator
        long t1 = System.nanoTime();
        observer.host.dropTrafficWith(seed.host);
        seed.host.dropTrafficWith(observer.host);
        long halfDead = awaitAttached(
                "attached to the spare and the restarted validator",
                Set.of(spare.id().toString(), learned.id().toString()),
                t1,
                bound.plusSeconds(10));
        System.out.printf(
                "NetnsFailoverIT: half-dead link to the seed: attached to 2 validators again %d ms after the DROP rules"
                        + " (detection bound %d ms + slack %d ms)%n",
                halfDead, PeerlinkProcess.DETECTION_BOUND.toMillis(), SLACK.toMillis());
        assertThat(halfDead).isLessThanOrEqualTo(bound.toMillis());
        assertThat(observer.alive()).as(observer.tail()).isTrue();
    }
}
