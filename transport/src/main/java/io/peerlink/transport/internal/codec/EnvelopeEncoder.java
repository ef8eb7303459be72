package io.peerlink.transport.internal.codec;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.peerlink.proto.v1.Envelope;
import java.io.IOException;

/**
 * Writes an {@link Envelope} as one varint32-length-prefixed frame into a single pooled buffer sized exactly.
 *
 * <pre>{@code
 * pipeline.addLast(PipelineNames.ENVELOPE_ENCODER, EnvelopeEncoder.INSTANCE);
 * }</pre>
 */
@ChannelHandler.Sharable
public final class EnvelopeEncoder extends MessageToByteEncoder<Envelope> {
    public static final EnvelopeEncoder INSTANCE = new EnvelopeEncoder();

    private EnvelopeEncoder() {
        super(Envelope.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope msg, boolean preferDirect) {
        int size = msg.getSerializedSize();
        int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        return preferDirect ? ctx.alloc().ioBuffer(total) : ctx.alloc().heapBuffer(total);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) throws IOException {
        write(msg, out);
    }

    /** Writes a frame into {@code out}, straight into its memory when it is a single NIO buffer. */
    public static void write(Envelope msg, ByteBuf out) throws IOException {
        int size = msg.getSerializedSize();
        int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        out.ensureWritable(total);
        if (out.nioBufferCount() == 1) {
            int start = out.writerIndex();
            CodedOutputStream cos = CodedOutputStream.newInstance(out.nioBuffer(start, total));
            cos.writeUInt32NoTag(size);
            msg.writeTo(cos);
            cos.checkNoSpaceLeft();
            out.writerIndex(start + total);
            return;
        }
        CodedOutputStream cos = CodedOutputStream.newInstance(new ByteBufOutputStream(out), Math.min(4096, total));
        cos.writeUInt32NoTag(size);
        msg.writeTo(cos);
        cos.flush();
    }
}
