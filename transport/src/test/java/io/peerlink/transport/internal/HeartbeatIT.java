package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats keep an idle link alive and measure its round trip. */
class HeartbeatIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void idleLinkStaysUpForManyDetectionBounds() {
        Network a = net.start(Role.VALIDATOR, List.of());
        Network b = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        List<PeerEvent> events = new CopyOnWriteArrayList<>();
        a.events().subscribe(events::add);
        b.events().subscribe(events::add);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.peers().size() == 1 && b.peers().size() == 1);

        // 4 s = over 3 detection bounds of 1.2 s with nothing but heartbeats on the link
        await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);

        assertThat(events).noneMatch(e -> e instanceof PeerEvent.Lost || e instanceof PeerEvent.Disconnected);
        assertThat(a.peers()).hasSize(1);
        assertThat(a.peers().get(0).rtt()).isNotNull().isLessThan(Duration.ofMillis(1200));
    }
}
