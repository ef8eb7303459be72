package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import io.peerlink.transport.internal.link.PeerLink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that keeps sending requests but never reads the answers must not grow this node's memory: answers are
 * dropped above the write buffer's high-water mark, and the link is closed with {@code slow_peer}. Regression:
 * found by NetnsFaultIT's slow-consumer scenario (a flooding non-reader took a node from 179 to 343 MiB RSS in
 * 30 s, without bound).
 */
class SlowConsumerIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void peerThatAsksButNeverReadsIsDroppedWithBoundedBuffers() throws Exception {
        Network a = net.start(Role.VALIDATOR, List.of());
        Network b = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.peers().size() == 1 && b.peers().size() == 1);
        List<PeerEvent> events = new CopyOnWriteArrayList<>();
        a.events().subscribe(events::add);
        Channel ab = a.channelTo(b.id());
        Channel ba = b.channelTo(a.id());
        assertThat(ab).isNotNull();
        assertThat(ba).isNotNull();

        // b stops reading (marked as its own pause, so b's idle detection stays quiet) and floods pings
        PeerLink baLink = b.linkTo(a.id());
        assertThat(baLink).isNotNull();
        ba.eventLoop().submit(baLink::pauseReading).syncUninterruptibly();
        long maxPending = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int nonce = 0;
        for (int round = 0; round < 2000 && ab.isActive() && System.nanoTime() < deadline; round++) {
            for (int i = 0; i < 2000; i++) {
                ba.write(
                        Envelope.newBuilder()
                                .setPing(Ping.newBuilder().setNonce(++nonce))
                                .build(),
                        ba.voidPromise());
            }
            ba.flush();
            while (!ba.isWritable() && ab.isActive() && System.nanoTime() < deadline) {
                Thread.sleep(5); // b's own sending is bounded too: wait until a has read it
            }
            ChannelOutboundBuffer out = ab.unsafe().outboundBuffer();
            if (out != null) {
                maxPending = Math.max(maxPending, out.totalPendingWriteBytes());
            }
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream()
                        .anyMatch(e ->
                                e instanceof PeerEvent.Disconnected d && d.reason() == DisconnectReason.SLOW_PEER));
        // the high-water mark is 1 MiB; a few pings of a's own and one answer may go above it
        assertThat(maxPending).as("bytes a buffered for b").isLessThan(2L * 1024 * 1024);
    }
}
