package io.peerlink.transport.internal.codec;

import com.google.protobuf.CodedInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.Envelope;
import java.util.List;

/**
 * Parses one frame into an {@link Envelope} (peerlink's own pipeline parses inside the frame decoder, see
 * {@link BoundedVarint32FrameDecoder#envelopes}; this handler serves pipelines that keep the two apart). Unknown fields are kept (protobuf's forward compatibility); garbage
 * becomes a {@link FrameException} with {@code MALFORMED_FRAME}.
 *
 * <pre>{@code
 * pipeline.addLast(new BoundedVarint32FrameDecoder(1024)).addLast(EnvelopeDecoder.INSTANCE);
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
        return parse(frame, frame.readerIndex(), frame.readableBytes());
    }

    /**
     * Parses {@code length} bytes at {@code index} of {@code buf}. A buffer with one NIO region is read in place
     * through its internal NIO view (reused, not allocated: protobuf copies out what it keeps).
     */
    public static Envelope parse(ByteBuf buf, int index, int length) {
        try {
            CodedInputStream input = buf.nioBufferCount() == 1
                    ? CodedInputStream.newInstance(buf.internalNioBuffer(index, length))
                    : CodedInputStream.newInstance(io.netty.buffer.ByteBufUtil.getBytes(buf, index, length));
            return Envelope.parseFrom(input);
        } catch (java.io.IOException e) {
            throw new FrameException(DisconnectReason.MALFORMED_FRAME, "not a peerlink envelope: " + e.getMessage());
        }
    }
}
