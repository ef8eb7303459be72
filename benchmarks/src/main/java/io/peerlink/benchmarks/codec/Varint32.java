package io.peerlink.benchmarks.codec;

import io.netty.buffer.ByteBuf;

/**
 * The protobuf varint32 length prefix on a Netty {@link ByteBuf}, shared by the codec and its baseline so that
 * both pay the same framing cost.
 *
 * <pre>{@code
 * Varint32.write(buf, body.length);
 * long header = Varint32.read(buf, 0);   // value in the low 32 bits, prefix length in the high 32
 * }</pre>
 */
public final class Varint32 {
    private Varint32() {}

    /** Bytes needed to encode {@code value}. */
    public static int size(int value) {
        // 1 byte per started group of 7 bits; 0 takes one byte
        return (31 - Integer.numberOfLeadingZeros(value | 1)) / 7 + 1;
    }

    /** Appends {@code value} at the writer index. */
    public static void write(ByteBuf buf, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            buf.writeByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf.writeByte(v);
    }

    /**
     * Reads a varint32 at absolute {@code index} without moving the reader index.
     *
     * @return the value in the low 32 bits and the number of prefix bytes in the high 32 bits
     * @throws IllegalArgumentException if the prefix runs past 5 bytes
     */
    public static long read(ByteBuf buf, int index) {
        int value = 0;
        for (int i = 0; i < 5; i++) {
            byte b = buf.getByte(index + i);
            value |= (b & 0x7F) << (7 * i);
            if (b >= 0) {
                return ((long) (i + 1) << 32) | (value & 0xFFFF_FFFFL);
            }
        }
        throw new IllegalArgumentException("varint32 longer than 5 bytes at index " + index);
    }

    /** The value of a {@link #read} result. */
    public static int value(long header) {
        return (int) header;
    }

    /** The prefix length of a {@link #read} result. */
    public static int prefixBytes(long header) {
        return (int) (header >>> 32);
    }
}
