package io.peerlink.transport.internal.codec;

import io.netty.channel.DefaultMessageSizeEstimator;
import io.netty.channel.MessageSizeEstimator;
import io.peerlink.proto.v1.Envelope;

/**
 * Counts an {@link Envelope} waiting to be written by its encoded size. Netty's default estimator counts unknown
 * message types as 0 bytes, so envelopes written from outside the event loop would pile up in its task queue
 * without ever making the channel unwritable, and backpressure would not engage (it showed with TLS, where the loop
 * is slower than the producer).
 *
 * <pre>{@code
 * bootstrap.option(ChannelOption.MESSAGE_SIZE_ESTIMATOR, EnvelopeSizeEstimator.INSTANCE);
 * }</pre>
 */
public final class EnvelopeSizeEstimator implements MessageSizeEstimator {
    public static final EnvelopeSizeEstimator INSTANCE = new EnvelopeSizeEstimator();

    private static final Handle HANDLE = new Handle() {
        private final Handle fallback = DefaultMessageSizeEstimator.DEFAULT.newHandle();

        @Override
        public int size(Object msg) {
            if (msg instanceof Envelope env) {
                return env.getSerializedSize() + 5; // memoized by protobuf; + the length prefix at most
            }
            return fallback.size(msg);
        }
    };

    private EnvelopeSizeEstimator() {}

    @Override
    public Handle newHandle() {
        return HANDLE;
    }
}
