package io.peerlink.transport.codec;

import com.google.protobuf.CodedInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.Envelope;
import java.util.List;

/**
 * Parses one frame into an {@link Envelope}. Unknown fields are kept (protobuf's forward compatibility); garbage
 * becomes a {@link FrameException} with {@code MALFORMED_FRAME}.
 *
 * <pre>{@code
 * pipeline.addLast(PipelineNames.ENVELOPE_DECODER, EnvelopeDecoder.INSTANCE);
 * }</pre>
 */
@ChannelHandler.Sharable
public final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final EnvelopeDecoder INSTANCE = new EnvelopeDecoder();

    private EnvelopeDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(parse(frame));
    }

    /** Parses a frame's readable bytes without copying when the buffer allows it. */
    public static Envelope parse(ByteBuf frame) {
        try {
            CodedInputStream input = frame.nioBufferCount() == 1
                    ? CodedInputStream.newInstance(frame.nioBuffer())
                    : CodedInputStream.newInstance(io.netty.buffer.ByteBufUtil.getBytes(frame));
            return Envelope.parseFrom(input);
        } catch (java.io.IOException e) {
            throw new FrameException(DisconnectReason.MALFORMED_FRAME, "not a peerlink envelope: " + e.getMessage());
        }
    }
}
