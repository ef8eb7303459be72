package io.peerlink.benchmarks.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.peerlink.benchmarks.AbstractBenchmark;
import io.peerlink.proto.v1.Envelope;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encodes and decodes one varint32-length-prefixed {@code Envelope} per operation, for every message kind, against
 * a baseline that frames the same bytes without protobuf.
 *
 * <p>{@code encode}: allocate a pooled direct buffer, write the length, serialize with {@link CodedOutputStream}
 * straight into the buffer. {@code baselineEncode}: same buffer and length, then copy the already-serialized bytes.
 * {@code decode}: read the length, {@code Envelope.parseFrom} the frame's NIO view. {@code baselineDecode}: read
 * the length, copy the frame's bytes out. The message instance is reused, so protobuf's memoized size is warm.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar EnvelopeCodecBenchmark -p kind=PING,APP_16KB
 * }</pre>
 */
public class EnvelopeCodecBenchmark extends AbstractBenchmark {

    /** Every kind when not given on the command line. */
    @Param
    public MessageKind kind = MessageKind.PING;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private Envelope message = Envelope.getDefaultInstance();
    private byte[] body = new byte[0];
    private ByteBuf frame = Unpooled.EMPTY_BUFFER;

    @Setup
    public void setUp() throws IOException {
        message = kind.sample();
        body = message.toByteArray();
        frame = baselineFrame();
        ByteBuf encoded = encodeFrame();
        try {
            if (!ByteBufUtil.equals(encoded, frame) || !parse(frame).equals(message)) {
                throw new IllegalStateException(kind + ": codec and baseline disagree on the frame");
            }
        } finally {
            encoded.release();
        }
    }

    @TearDown
    public void tearDown() {
        frame.release();
    }

    @Benchmark
    public void encode(Blackhole bh) throws IOException {
        ByteBuf buf = encodeFrame();
        bh.consume(buf);
        buf.release();
    }

    @Benchmark
    public void baselineEncode(Blackhole bh) {
        ByteBuf buf = baselineFrame();
        bh.consume(buf);
        buf.release();
    }

    @Benchmark
    public void decode(Blackhole bh) throws InvalidProtocolBufferException {
        bh.consume(parse(frame));
    }

    @Benchmark
    public void baselineDecode(Blackhole bh) {
        long header = Varint32.read(frame, frame.readerIndex());
        byte[] copy = new byte[Varint32.value(header)];
        frame.getBytes(frame.readerIndex() + Varint32.prefixBytes(header), copy);
        bh.consume(copy);
    }

    private ByteBuf encodeFrame() throws IOException {
        int size = message.getSerializedSize();
        ByteBuf buf = alloc.directBuffer(Varint32.size(size) + size);
        Varint32.write(buf, size);
        int start = buf.writerIndex();
        CodedOutputStream out = CodedOutputStream.newInstance(buf.internalNioBuffer(start, size));
        message.writeTo(out);
        out.checkNoSpaceLeft();
        return buf.writerIndex(start + size);
    }

    private ByteBuf baselineFrame() {
        ByteBuf buf = alloc.directBuffer(Varint32.size(body.length) + body.length);
        Varint32.write(buf, body.length);
        return buf.writeBytes(body);
    }

    private static Envelope parse(ByteBuf frame) throws InvalidProtocolBufferException {
        long header = Varint32.read(frame, frame.readerIndex());
        int offset = frame.readerIndex() + Varint32.prefixBytes(header);
        return Envelope.parseFrom(frame.nioBuffer(offset, Varint32.value(header)));
    }
}
