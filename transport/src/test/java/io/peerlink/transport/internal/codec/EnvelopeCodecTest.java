package io.peerlink.transport.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.proto.v1.AppMessage;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.Pong;
import io.peerlink.protocol.wire.Wire;
import io.peerlink.transport.testing.Frames;
import io.peerlink.transport.testing.RawPeer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link EnvelopeEncoder} and {@link EnvelopeDecoder} behind the bounded frame decoder, as in a pipeline. */
class EnvelopeCodecTest {
    private final EmbeddedChannel writer = new EmbeddedChannel(EnvelopeEncoder.INSTANCE);
    private final EmbeddedChannel reader =
            new EmbeddedChannel(new BoundedVarint32FrameDecoder(64 * 1024), EnvelopeDecoder.INSTANCE);

    @AfterEach
    void release() {
        writer.finishAndReleaseAll();
        reader.finishAndReleaseAll();
    }

    static List<Envelope> everyKind() {
        RawPeer peer = new RawPeer(NodeIdentity.generate(), Role.VALIDATOR, "127.0.0.1:7000");
        return List.of(
                peer.identify(),
                RawPeer.proof(new byte[64]),
                Wire.disconnect(DisconnectReason.REVOKED, "gone"),
                Frames.ping(Long.MAX_VALUE),
                Envelope.newBuilder().setPong(Pong.newBuilder().setNonce(-1)).build(),
                Envelope.newBuilder()
                        .setPeerExchangeRequest(PeerExchangeRequest.newBuilder().setMaxEntries(256))
                        .build(),
                Envelope.newBuilder()
                        .setPeerExchangeResponse(
                                PeerExchangeResponse.newBuilder().addRecords(peer.record()))
                        .build(),
                Envelope.newBuilder()
                        .setApp(AppMessage.newBuilder()
                                .setProtocol("chat/1")
                                .setPayload(ByteString.copyFrom(new byte[10_000])))
                        .build(),
                Envelope.getDefaultInstance());
    }

    private List<Envelope> roundTrip(List<Envelope> envelopes) {
        for (Envelope e : envelopes) {
            writer.writeOutbound(e);
        }
        ByteBuf wire;
        while ((wire = writer.readOutbound()) != null) {
            reader.writeInbound(wire);
        }
        List<Envelope> out = new ArrayList<>();
        Envelope e;
        while ((e = reader.readInbound()) != null) {
            out.add(e);
        }
        return out;
    }

    @Test
    void everyEnvelopeKindSurvivesARoundTrip() {
        List<Envelope> all = everyKind();
        Set<Envelope.BodyCase> kinds = EnumSet.noneOf(Envelope.BodyCase.class);
        all.forEach(e -> kinds.add(e.getBodyCase()));
        assertThat(kinds).containsExactlyInAnyOrder(Envelope.BodyCase.values());

        assertThat(roundTrip(all)).containsExactlyElementsOf(all);
    }

    @Test
    void encoderWritesExactlyTheVarintFramedBytes() {
        for (Envelope e : everyKind()) {
            writer.writeOutbound(e);
            ByteBuf wire = writer.readOutbound();
            assertThat(ByteBufUtil.getBytes(wire)).isEqualTo(Frames.encode(e));
            wire.release();
        }
    }

    @Test
    void encoderWritesIntoABufferMadeOfSeveralComponents() throws Exception {
        Envelope app = everyKind().get(7);
        CompositeByteBuf out = Unpooled.compositeBuffer();
        out.addComponent(true, Unpooled.buffer(8));
        out.writerIndex(0);
        EnvelopeEncoder.write(app, out);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(Frames.encode(app));
        out.release();
    }

    @Test
    void decoderParsesAFrameSpreadOverSeveralComponents() throws Exception {
        Envelope identify = everyKind().get(0);
        byte[] body = identify.toByteArray();
        CompositeByteBuf frame = Unpooled.compositeBuffer();
        frame.addComponent(true, Unpooled.wrappedBuffer(body, 0, 10));
        frame.addComponent(true, Unpooled.wrappedBuffer(body, 10, body.length - 10));
        assertThat(frame.nioBufferCount()).isGreaterThan(1);
        assertThat(EnvelopeDecoder.parse(frame)).isEqualTo(identify);
        frame.release();
    }

    @Test
    void unknownFieldsInAKnownMessageAreKept() throws Exception {
        Envelope base = Frames.ping(42);
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
                .addField(
                        99, UnknownFieldSet.Field.newBuilder().addVarint(12345).build())
                .build();
        Envelope withExtra = base.toBuilder()
                .setPing(base.getPing().toBuilder().setUnknownFields(extra))
                .build();

        Envelope decoded = roundTrip(List.of(withExtra)).get(0);

        assertThat(decoded.getPing().getNonce()).isEqualTo(42);
        assertThat(decoded.getPing().getUnknownFields().getField(99).getVarintList())
                .containsExactly(12345L);
        // forwarding it loses nothing
        assertThat(decoded.toByteArray()).isEqualTo(withExtra.toByteArray());
    }

    @Test
    void envelopeWithAnUnknownBodyKindDecodesWithBodyNotSet() {
        // field 42 is a message kind from a newer version: a length-delimited field this schema does not know
        byte[] newerKind = {(byte) 0xD2, 0x02, 3, 0x08, 0x01, 0x00}; // tag (42 << 3) | 2 as a varint
        reader.writeInbound(Unpooled.wrappedBuffer(Frames.frame(newerKind)));

        Envelope decoded = reader.readInbound();

        assertThat(decoded.getBodyCase()).isEqualTo(Envelope.BodyCase.BODY_NOT_SET);
        assertThat(decoded.getUnknownFields().hasField(42)).isTrue();
        assertThat(decoded.toByteArray()).isEqualTo(newerKind);
    }

    @Test
    void bytesThatAreNotAnEnvelopeAreAMalformedFrame() {
        ByteBuf garbage = Unpooled.wrappedBuffer(Frames.frame(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
        assertThatThrownBy(() -> reader.writeInbound(garbage))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MALFORMED_FRAME));
        assertThat(garbage.refCnt()).isZero();
    }

    @Test
    void truncatedEnvelopeInsideACompleteFrameIsAMalformedFrame() {
        byte[] identify = everyKind().get(0).toByteArray();
        byte[] cut = java.util.Arrays.copyOf(identify, identify.length - 5);
        assertThatThrownBy(() -> reader.writeInbound(Unpooled.wrappedBuffer(Frames.frame(cut))))
                .isInstanceOfSatisfying(
                        FrameException.class, e -> assertThat(e.reason()).isEqualTo(DisconnectReason.MALFORMED_FRAME));
    }
}
