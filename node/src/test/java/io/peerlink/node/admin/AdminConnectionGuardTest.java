package io.peerlink.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin connection guard's timers and cap, in virtual time on embedded channels. */
class AdminConnectionGuardTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AdminConnectionGuard guard =
            new AdminConnectionGuard(new AdminLimits(Duration.ofSeconds(30), Duration.ofSeconds(10), 3), registry);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        guard.install(ch);
        ch.runPendingTasks();
        channels.add(ch);
        return ch;
    }

    private static void advance(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    private static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private double closed(String reason) {
        return registry.get(AdminConnectionGuard.CLOSED)
                .tag("reason", reason)
                .counter()
                .count();
    }

    @Test
    void aSilentConnectionIsClosedAtTheIdleTimeout() {
        EmbeddedChannel ch = connection();
        advance(ch, 29_999);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 1);
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed("idle")).isEqualTo(1);
        assertThat(guard.open()).isZero();
    }

    @Test
    void everyReadRestartsTheIdleTimeout() {
        EmbeddedChannel ch = connection();
        send(ch, "GET /health HTTP/1.1\r\n\r\n");
        AdminConnectionGuard.requestArrived(ch);
        advance(ch, 20_000);
        send(ch, "GET /peers HTTP/1.1\r\n\r\n");
        AdminConnectionGuard.requestArrived(ch);
        advance(ch, 20_000);
        assertThat(ch.isOpen()).as("40 s open, never 30 s silent").isTrue();
        advance(ch, 10_000);
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed("idle")).isEqualTo(1);
    }

    @Test
    void aRequestTrickledPastTheRequestTimeoutIsClosedThoughTheConnectionIsNeverIdle() {
        EmbeddedChannel ch = connection();
        send(ch, "G");
        for (int i = 0; i < 9; i++) {
            advance(ch, 1_000);
            send(ch, "E");
        }
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 1_000);
        assertThat(ch.isOpen()).as("10 s after the request's first byte").isFalse();
        assertThat(closed("request_timeout")).isEqualTo(1);
        assertThat(closed("idle")).isZero();
    }

    @Test
    void aRequestThatArrivesInTimeStopsTheRequestTimer() {
        EmbeddedChannel ch = connection();
        send(ch, "GET /health HTTP/1.1\r\n");
        advance(ch, 9_000);
        send(ch, "\r\n");
        AdminConnectionGuard.requestArrived(ch);
        advance(ch, 5_000);
        assertThat(ch.isOpen()).isTrue();
        assertThat(closed("request_timeout")).isZero();
    }

    @Test
    void aConnectionBeyondTheCapIsClosedAndAClosedOneFreesItsSlot() {
        List<EmbeddedChannel> held = List.of(connection(), connection(), connection());
        EmbeddedChannel extra = connection();

        assertThat(held).allMatch(EmbeddedChannel::isOpen);
        assertThat(extra.isOpen()).isFalse();
        assertThat(closed("limit")).isEqualTo(1);
        assertThat(guard.open()).isEqualTo(3);

        held.get(0).close();
        EmbeddedChannel next = connection();
        assertThat(next.isOpen()).isTrue();
        assertThat(guard.open()).isEqualTo(3);
    }
}
