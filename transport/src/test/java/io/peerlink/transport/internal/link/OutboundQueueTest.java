package io.peerlink.transport.internal.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerlinkException;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.transport.NetworkOptions.SendPolicy;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.codec.BoundedVarint32FrameDecoder;
import io.peerlink.transport.internal.codec.EnvelopeDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    private static Envelope app(int i, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        payload[0] = (byte) i;
        return Envelope.newBuilder()
                .setApp(AppMessage.newBuilder().setProtocol("p" + i).setPayload(ByteString.copyFrom(payload)))
                .build();
    }

    /** Everything the channel wrote, cut into frames and parsed back. */
    private static List<Envelope> written(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b = ch.readOutbound(); b != null; b = ch.readOutbound()) {
            all.writeBytes(b);
            b.release();
        }
        EmbeddedChannel reader = new EmbeddedChannel(new BoundedVarint32FrameDecoder(8 << 20));
        reader.writeInbound(all);
        List<Envelope> out = new ArrayList<>();
        for (ByteBuf f = reader.readInbound(); f != null; f = reader.readInbound()) {
            out.add(EnvelopeDecoder.parse(f));
            f.release();
        }
        return out;
    }

    @Test
    void framesQueuedTogetherAreWrittenInOrderInFewBuffersAndCounted() {
        EmbeddedChannel ch = new EmbeddedChannel();
        AtomicInteger counted = new AtomicInteger();
        OutboundQueue q = new OutboundQueue(ch, 1 << 20, new TransportObserver() {
            @Override
            public void messageWritten(String kind) {
                assertThat(kind).isEqualTo("app");
                counted.incrementAndGet();
            }
        });
        List<Envelope> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            // one frame larger than a batch buffer among small ones
            Envelope e = app(i, i == 500 ? 3 * OutboundQueue.BATCH_BYTES : 64);
            sent.add(e);
            q.send(e, SendPolicy.WAIT).block();
        }
        assertThat(q.queuedBytes()).isPositive();
        int buffers = ch.outboundMessages().size();
        ch.runPendingTasks();

        assertThat(ch.outboundMessages().size() - buffers)
                .as("buffers for ~120 KiB of frames")
                .isBetween(2, 20);
        assertThat(written(ch)).containsExactlyElementsOf(sent);
        assertThat(q.queuedBytes()).isZero();
        assertThat(counted).hasValue(1000);
    }

    @Test
    void sendsAfterADrainAreWrittenByTheNextOne() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(ch, 1 << 20, TransportObserver.NOOP);
        q.send(app(1, 8), SendPolicy.WAIT).block();
        ch.runPendingTasks();
        q.send(app(2, 8), SendPolicy.WAIT).block();
        ch.runPendingTasks();
        assertThat(written(ch)).containsExactly(app(1, 8), app(2, 8));
    }

    @Test
    void aFullQueueFailsFastOrWaitsAsThePolicySays() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutboundQueue q = new OutboundQueue(ch, 100, TransportObserver.NOOP);
        q.send(app(1, 200), SendPolicy.WAIT).block(); // queued: over the 100-byte limit now
        assertThat(q.writable()).isFalse();

        assertThatThrownBy(() -> q.send(app(2, 8), SendPolicy.FAIL_FAST).block())
                .isInstanceOfSatisfying(
                        PeerlinkException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.SLOW_PEER));

        AtomicInteger done = new AtomicInteger();
        q.send(app(3, 8), SendPolicy.WAIT).subscribe(null, e -> done.decrementAndGet(), done::incrementAndGet);
        ch.runPendingTasks(); // drains the first frame, then lets the waiter in
        ch.runPendingTasks(); // writes the waiter's frame
        assertThat(done).hasValue(1);
        assertThat(written(ch)).containsExactly(app(1, 200), app(3, 8));
    }
}
