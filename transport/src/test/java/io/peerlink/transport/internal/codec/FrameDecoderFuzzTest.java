package io.peerlink.transport.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.peerlink.proto.v1.Envelope;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Arbitrary bytes, cut into chunks of varying size, into the frame decoder and the envelope decoder: the only
 * exceptions are decoder exceptions, no frame is ever longer than the limit, the decoder never holds back more than
 * one frame's worth of bytes, and every buffer is released.
 *
 * <p>Input layout (so seeds are easy to write): the stream, then one byte choosing the limit ({@code 16 << (b % 8)}),
 * then one byte shaping the chunk sizes (Jazzer's provider takes single values from the end). {@code mvn test}
 * replays {@code FrameDecoderFuzzTestInputs/decode/}; run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class FrameDecoderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void decode(FuzzedDataProvider data) {
        int shape = data.consumeByte() & 0xFF;
        int limit = 16 << ((data.consumeByte() & 0xFF) % 8);
        byte[] stream = data.consumeRemainingAsBytes();

        LongestFrame probe = new LongestFrame();
        BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(limit);
        EmbeddedChannel channel = new EmbeddedChannel(decoder, probe, EnvelopeDecoder.INSTANCE);
        List<ByteBuf> written = new ArrayList<>();
        try {
            int at = 0;
            for (int i = 0; at < stream.length; i++) {
                int size = Math.min(stream.length - at, chunkSize(shape, i));
                ByteBuf chunk = Unpooled.copiedBuffer(stream, at, size);
                at += size;
                written.add(chunk);
                try {
                    channel.writeInbound(chunk);
                } catch (DecoderException expected) {
                    // FrameException or a wrapped parse failure: the pipeline's handler turns it into a disconnect
                }
                // never more than one frame and its prefix is held back: no unbounded buffering
                assertThat(buffered(decoder)).isLessThanOrEqualTo(limit + 5);
                Object msg;
                while ((msg = channel.readInbound()) != null) {
                    assertThat(msg).isInstanceOf(Envelope.class);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(probe.longest).isLessThanOrEqualTo(limit);
        for (ByteBuf b : written) {
            assertThat(b.refCnt()).as("input buffer released").isZero();
        }
    }

    /** Bytes the decoder holds back, waiting for the rest of a frame. */
    static int buffered(ByteToMessageDecoder decoder) {
        try {
            Method m = ByteToMessageDecoder.class.getDeclaredMethod("actualReadableBytes");
            m.setAccessible(true);
            return (int) m.invoke(decoder);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Chunk sizes from 1 to 64 bytes, varying with the position; {@code shape} picks the pattern. */
    static int chunkSize(int shape, int index) {
        return 1 + ((shape + 1) * (index + 7) * 31) % 64;
    }

    /** Sits between the two decoders and remembers the longest frame. */
    private static final class LongestFrame extends ChannelInboundHandlerAdapter {
        int longest;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf frame) {
                longest = Math.max(longest, frame.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
