package io.peerlink.transport.testing;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.DisconnectReason;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.Ping;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Varint32-length-prefixed {@link Envelope} frames as plain bytes, written independently of the production encoder
 * so tests check the wire format rather than the code against itself.
 *
 * <pre>{@code
 * channel.writeInbound(Frames.buffer(Frames.ping(1)));
 * List<Envelope> sent = Frames.drainOutbound(channel);
 * }</pre>
 */
public final class Frames {
    private Frames() {}

    /** The varint32 encoding of {@code value}. */
    public static byte[] varint(int value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(5);
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return out.toByteArray();
    }

    /** Each envelope as a length prefix and its bytes, concatenated. */
    public static byte[] encode(Envelope... envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Envelope e : envelopes) {
            byte[] body = e.toByteArray();
            out.writeBytes(varint(body.length));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    public static ByteBuf buffer(Envelope... envelopes) {
        return Unpooled.wrappedBuffer(encode(envelopes));
    }

    /** A raw frame: a length prefix and arbitrary payload bytes. */
    public static byte[] frame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(varint(payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Decodes every complete frame in {@code bytes}; a trailing partial frame is ignored. */
    public static List<Envelope> decode(byte[] bytes) {
        List<Envelope> out = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        try {
            while (!in.isAtEnd()) {
                int length = in.readRawVarint32();
                if (in.getTotalBytesRead() + length > bytes.length) {
                    break;
                }
                out.add(Envelope.parseFrom(in.readRawBytes(length)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Reads and releases everything the channel wrote, and decodes it as frames. */
    public static List<Envelope> drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            try {
                if (msg instanceof ByteBuf buf) {
                    out.writeBytes(ByteBufUtil.getBytes(buf));
                } else {
                    throw new AssertionError("unexpected outbound object " + msg);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
        return decode(out.toByteArray());
    }

    /** The reason of a {@code Disconnect} envelope. */
    public static DisconnectReason reasonOf(Envelope disconnect) {
        if (!disconnect.hasDisconnect()) {
            throw new AssertionError("not a Disconnect: " + disconnect.getBodyCase());
        }
        return DisconnectReason.fromCode(disconnect.getDisconnect().getReason());
    }

    public static Envelope ping(long nonce) {
        return Envelope.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build();
    }

    /** The size of the length prefix of a {@code length}-byte frame. */
    public static int prefixBytes(int length) {
        return CodedOutputStream.computeUInt32SizeNoTag(length);
    }
}
