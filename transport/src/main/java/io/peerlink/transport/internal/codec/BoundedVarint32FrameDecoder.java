package io.peerlink.transport.internal.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.Envelope;
import java.util.List;

/**
 * Splits the stream into varint32-length-prefixed frames, refusing a frame longer than the current limit as soon
 * as its length prefix is read, before any byte of it is buffered (Netty's {@code ProtobufVarint32FrameDecoder}
 * has no limit). The limit starts small for the handshake and is raised with {@link #maxFrameBytes(int)}.
 *
 * <pre>
 * +--------+----------------+
 * | varint | payload        |    varint: 1..5 bytes, little-endian base 128
 * | length | (length bytes) |
 * +--------+----------------+
 * </pre>
 *
 * <pre>{@code
 * pipeline.addLast(PipelineNames.FRAME_DECODER, new BoundedVarint32FrameDecoder(1024));
 * }</pre>
 */
public final class BoundedVarint32FrameDecoder extends ByteToMessageDecoder {
    private final boolean parseEnvelopes;
    private int maxFrameBytes;
    private boolean failed;
    private boolean first = true;

    /** Emits each frame as a retained slice of the input. */
    public BoundedVarint32FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, false);
    }

    private BoundedVarint32FrameDecoder(int maxFrameBytes, boolean parseEnvelopes) {
        this.parseEnvelopes = parseEnvelopes;
        maxFrameBytes(maxFrameBytes);
    }

    /**
     * Emits each frame parsed as an {@link Envelope}, straight from the read buffer: no slice, no second decoder
     * in the pipeline, which matters at hundreds of thousands of small messages per second.
     */
    public static BoundedVarint32FrameDecoder envelopes(int maxFrameBytes) {
        return new BoundedVarint32FrameDecoder(maxFrameBytes, true);
    }

    /** Changes the limit; call on the channel's event loop. */
    public void maxFrameBytes(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (first) {
            // a TLS record header (handshake, version 3.x) where a plaintext frame was expected; 0x16 alone is
            // also a valid length prefix (22), so decide once the second byte is there
            byte b0 = in.getByte(in.readerIndex());
            if (b0 == 0x16 && in.readableBytes() < 2) {
                return;
            }
            first = false;
            if (b0 == 0x16 && in.getByte(in.readerIndex() + 1) == 0x03) {
                fail(in, DisconnectReason.TLS_REQUIRED, "peer speaks TLS; this node is configured for plaintext");
            }
        }
        in.markReaderIndex();
        int length = readVarint32(in);
        if (length == NEED_MORE) {
            in.resetReaderIndex();
            return;
        }
        if (length == MALFORMED || length < 0) {
            fail(in, DisconnectReason.MALFORMED_FRAME, "malformed varint32 length prefix");
        }
        if (length > maxFrameBytes) {
            fail(
                    in,
                    DisconnectReason.FRAME_TOO_LARGE,
                    "frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
        }
        if (in.readableBytes() < length) {
            in.resetReaderIndex();
            return;
        }
        if (!parseEnvelopes) {
            out.add(in.readRetainedSlice(length));
            return;
        }
        int start = in.readerIndex();
        in.skipBytes(length);
        try {
            out.add(EnvelopeDecoder.parse(in, start, length));
        } catch (FrameException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void fail(ByteBuf in, DisconnectReason reason, String detail) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw new FrameException(reason, detail);
    }

    private static final int NEED_MORE = -1;
    private static final int MALFORMED = -2;

    /**
     * Reads a varint32 length; {@link #NEED_MORE} if incomplete, {@link #MALFORMED} if longer than 5 bytes or not
     * below 2^31. The bound keeps every length non-negative, so no length can be mistaken for a sentinel.
     */
    static int readVarint32(ByteBuf in) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.isReadable()) {
                return NEED_MORE;
            }
            byte b = in.readByte();
            if (shift == 28 && (b & 0xF8) != 0) {
                return MALFORMED; // 2^31 or more (or more than 32 bits): no frame is that long
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        return MALFORMED;
    }
}
