package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerlinkException;
import io.peerlink.core.Role;
import io.peerlink.transport.InboundMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sendAll} over real sockets: batches arrive complete, in order, interleaved correctly with single sends. */
class SendAllIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    private static ByteString numbered(int i, int size) {
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(i);
        return ByteString.copyFrom(b.array());
    }

    @Test
    void batchesAndSingleSendsArriveInOrder() {
        Network a = net.start(Role.VALIDATOR, List.of());
        Network b = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.peers().size() == 1 && b.peers().size() == 1);
        List<InboundMessage> got = new CopyOnWriteArrayList<>();
        a.receive().subscribe(got::add);

        int batches = 200;
        int perBatch = 100;
        int n = 0;
        for (int k = 0; k < batches; k++) {
            List<ByteString> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                // sizes vary around the 16 KiB encoding buffer so frames straddle buffers
                batch.add(numbered(n++, k % 10 == 0 ? 20_000 : 64));
            }
            b.sendAll(a.id(), "bulk/1", batch).block(Duration.ofSeconds(10));
            b.send(a.id(), "bulk/1", numbered(n++, 8)).block(Duration.ofSeconds(10));
        }
        int total = n;
        await().atMost(Duration.ofSeconds(30)).until(() -> got.size() >= total);

        assertThat(got).hasSize(total);
        for (int i = 0; i < total; i++) {
            InboundMessage m = got.get(i);
            assertThat(m.from()).isEqualTo(b.id());
            assertThat(m.protocol()).isEqualTo("bulk/1");
            assertThat(m.payload().asReadOnlyByteBuffer().getInt())
                    .as("message %d", i)
                    .isEqualTo(i);
        }
    }

    @Test
    void aSendAsSoonAsTheLinkIsAnnouncedIsDelivered() {
        Network a = net.start(Role.VALIDATOR, List.of());
        List<InboundMessage> got = new CopyOnWriteArrayList<>();
        a.receive().subscribe(got::add);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Network b = net.start(Role.VALIDATOR, List.of());
        // send from the Connected event itself: the link is visible then, so its send queue must be too
        b.events()
                .filter(e -> e instanceof io.peerlink.core.PeerEvent.Connected)
                .take(1)
                .subscribe(e ->
                        b.sendAll(a.id(), "early/1", List.of(numbered(7, 8))).subscribe(null, errors::add));
        b.dial(a.boundAddress()).block(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> !got.isEmpty() || !errors.isEmpty());
        assertThat(errors).isEmpty();
        assertThat(got).singleElement().satisfies(m -> assertThat(m.protocol()).isEqualTo("early/1"));
    }

    @Test
    void batchToAnUnknownPeerFailsWithNotConnected() {
        Network a = net.start(Role.VALIDATOR, List.of());
        NodeId nobody = NodeId.parse("pl" + "ab".repeat(20));
        assertThatThrownBy(() ->
                        a.sendAll(nobody, "bulk/1", List.of(ByteString.EMPTY)).block())
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.NOT_CONNECTED));
    }
}
