package io.peerlink.transport.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.transport.testing.Frames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoundedVarint32FrameDecoderTest {
    static final int LIMIT = 300;

    private final BoundedVarint32FrameDecoder decoder = new BoundedVarint32FrameDecoder(LIMIT);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static byte[] payload(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    private List<byte[]> frames() {
        List<byte[]> out = new ArrayList<>();
        ByteBuf frame;
        while ((frame = channel.readInbound()) != null) {
            out.add(ByteBufUtil.getBytes(frame));
            frame.release();
        }
        return out;
    }

    private void write(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    private void assertFails(byte[] bytes, DisconnectReason reason) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        assertThatThrownBy(() -> channel.writeInbound(in))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void emptyFirstFrameIsEmittedAtOnce() {
        write(new byte[] {0});
        assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isEmpty());
    }

    @Test
    void tlsRecordWhereAPlaintextFrameWasExpectedIsRefusedAsTlsRequired() {
        // a TLS ClientHello record starts with 0x16 0x03 0x01
        assertFails(new byte[] {0x16, 0x03, 0x01, 0x00, 0x40}, DisconnectReason.TLS_REQUIRED);
    }

    @Test
    void firstFrameOfLength22IsNotMistakenForTls() {
        byte[] body = payload(22, 0x08);
        write(new byte[] {0x16});
        write(body);
        assertThat(frames()).singleElement().satisfies(f -> assertThat(f).isEqualTo(body));
    }

    @Test
    void frameSplitAcrossEveryByteBoundaryIsReassembled() {
        byte[] body = payload(200, 0x2A); // a two-byte length prefix
        byte[] wire = Frames.frame(body);
        for (byte b : wire) {
            write(new byte[] {b});
        }
        assertThat(frames()).containsExactly(body);
    }

    @Test
    void severalFramesInOneReadAreAllEmitted() {
        byte[] a = payload(1, 1);
        byte[] b = payload(0, 0);
        byte[] c = payload(130, 3);
        ByteBuf all = Unpooled.wrappedBuffer(Frames.frame(a), Frames.frame(b), Frames.frame(c), new byte[] {5, 9});
        channel.writeInbound(all);
        assertThat(frames()).containsExactly(a, b, c);
        // the trailing partial frame completes later
        write(new byte[] {9, 9, 9, 9});
        assertThat(frames()).containsExactly(new byte[] {9, 9, 9, 9, 9});
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        byte[] body = payload(LIMIT, 7);
        write(Frames.frame(body));
        assertThat(frames()).containsExactly(body);
    }

    @Test
    void frameOneByteOverTheLimitIsRefusedOnItsPrefixAlone() {
        assertFails(Frames.varint(LIMIT + 1), DisconnectReason.FRAME_TOO_LARGE);
        // whatever follows is dropped without another error
        ByteBuf rest = Unpooled.wrappedBuffer(payload(LIMIT + 1, 1));
        channel.writeInbound(rest);
        assertThat(rest.refCnt()).isZero();
        assertThat(frames()).isEmpty();
    }

    @Test
    void maximumFiveByteLengthIsRefusedAsTooLarge() {
        assertFails(
                new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
                DisconnectReason.FRAME_TOO_LARGE);
    }

    @Test
    void lengthOfMoreThanThirtyTwoBitsIsMalformed() {
        assertFails(
                new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x1F},
                DisconnectReason.MALFORMED_FRAME);
    }

    @Test
    void lengthPrefixOfSixBytesIsMalformed() {
        assertFails(
                new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
                DisconnectReason.MALFORMED_FRAME);
    }

    /**
     * Regression: 0xFFFFFFFF and 0xFFFFFFFE decoded to -1 and -2, the decoder's own "need more" and "malformed"
     * sentinels. With -1 it waited for more bytes forever and buffered everything the peer sent after it.
     */
    @Test
    void lengthsWithTheSignBitSetAreMalformedNotAWaitForMoreBytes() {
        for (int last : new int[] {0x08, 0x0E, 0x0F}) {
            BoundedVarint32FrameDecoder fresh = new BoundedVarint32FrameDecoder(LIMIT);
            EmbeddedChannel ch = new EmbeddedChannel(fresh);
            byte[] prefix = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) last};
            assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(prefix)))
                    .as("prefix ending 0x%02x", last)
                    .isInstanceOfSatisfying(
                            FrameException.class,
                            e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MALFORMED_FRAME));
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void fiveByteEncodingOfASmallLengthIsAccepted() {
        // protobuf allows non-minimal varints; the value, not the encoding size, is what the limit checks
        write(new byte[] {(byte) 0x83, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00, 1, 2, 3});
        assertThat(frames()).containsExactly(new byte[] {1, 2, 3});
    }

    @Test
    void raisingTheLimitAdmitsLargerFrames() {
        assertThat(decoder.maxFrameBytes()).isEqualTo(LIMIT);
        decoder.maxFrameBytes(4 * LIMIT);
        byte[] body = payload(4 * LIMIT, 4);
        write(Frames.frame(body));
        assertThat(frames()).containsExactly(body);
    }

    @Test
    void raisingTheLimitWhileAFrameIsHalfReadAppliesToThatFrame() {
        byte[] body = payload(2 * LIMIT, 5);
        byte[] wire = Frames.frame(body);
        decoder.maxFrameBytes(2 * LIMIT);
        write(Arrays.copyOfRange(wire, 0, 10));
        assertThat(frames()).isEmpty();
        write(Arrays.copyOfRange(wire, 10, wire.length));
        assertThat(frames()).containsExactly(body);
    }

    @Test
    void limitMustBePositive() {
        assertThatThrownBy(() -> decoder.maxFrameBytes(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxFrameBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> new BoundedVarint32FrameDecoder(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readVarint32ReportsIncompleteInput() {
        ByteBuf partial = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80});
        assertThat(BoundedVarint32FrameDecoder.readVarint32(partial)).isNegative();
        partial.release();
        ByteBuf one = Unpooled.wrappedBuffer(new byte[] {(byte) 0xAC, 0x02});
        assertThat(BoundedVarint32FrameDecoder.readVarint32(one)).isEqualTo(300);
        one.release();
    }
}
