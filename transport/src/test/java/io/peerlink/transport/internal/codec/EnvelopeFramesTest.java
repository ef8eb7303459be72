package io.peerlink.transport.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BoundedVarint32FrameDecoder#envelopes}: framing and parsing in one step, straight from the read buffer. */
class EnvelopeFramesTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(BoundedVarint32FrameDecoder.envelopes(4096));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static Envelope app(int i) {
        return Envelope.newBuilder()
                .setApp(AppMessage.newBuilder().setProtocol("p/" + i).setPayload(ByteString.copyFrom(new byte[i])))
                .build();
    }

    private static ByteBuf encoded(List<Envelope> envs) throws Exception {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (Envelope e : envs) {
            EnvelopeEncoder.write(e, out);
        }
        return out;
    }

    private List<Object> read() {
        List<Object> out = new ArrayList<>();
        for (Object m = channel.readInbound(); m != null; m = channel.readInbound()) {
            out.add(m);
        }
        return out;
    }

    @Test
    void manyFramesInOneReadAndFramesSplitAcrossReadsComeOutAsEnvelopesInOrder() throws Exception {
        List<Envelope> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(
                    i % 7 == 0
                            ? Envelope.newBuilder()
                                    .setPing(Ping.newBuilder().setNonce(i))
                                    .build()
                            : app(i));
        }
        ByteBuf all = encoded(sent);
        // cut the stream at odd places so frames and length prefixes straddle reads
        while (all.isReadable()) {
            channel.writeInbound(all.readRetainedSlice(Math.min(all.readableBytes(), 333)));
        }
        all.release();
        assertThat(read()).containsExactlyElementsOf(sent);
    }

    @Test
    void aFrameThatIsNotAnEnvelopeIsMalformedAndNothingAfterItIsParsed() throws Exception {
        ByteBuf in = encoded(List.of(app(1)));
        in.writeBytes(new byte[] {3, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // length 3, then an invalid tag
        in.writeBytes(encoded(List.of(app(2))));
        assertThatThrownBy(() -> channel.writeInbound(in))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MALFORMED_FRAME));
        assertThat(read()).containsExactly(app(1));
        assertThat(in.refCnt()).isZero();
    }
}
