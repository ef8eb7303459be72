package io.peerlink.transport.internal.link;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerlinkException;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.transport.NetworkOptions.SendPolicy;
import io.peerlink.transport.TransportObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

/**
 * Application frames on their way to one link. Frames sent from application threads are queued and written by one
 * drain task on the link's event loop, encoded back to back into pooled buffers, with a single flush per batch: a
 * per-message write task and event loop wake-up would cap throughput far below the socket's. The queue counts its bytes toward the link's writability, so
 * a slow peer makes senders wait (or fail fast) instead of growing memory.
 *
 * <pre>{@code
 * OutboundQueue q = link.outbound();
 * q.send(envelope, SendPolicy.WAIT).subscribe();
 * }</pre>
 */
public final class OutboundQueue {
    /**
     * Frames are encoded back to back into buffers of this size, one pipeline write per buffer: a write per frame
     * costs more in the pipeline and the outbound buffer than encoding it does.
     */
    static final int BATCH_BYTES = 16 * 1024;

    private final Channel channel;
    private final long limitBytes;
    private final TransportObserver observer;
    private final Queue<Envelope> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    // event-loop confined
    private final List<MonoSink<Void>> waiters = new ArrayList<>(1);

    public OutboundQueue(Channel channel, long limitBytes, TransportObserver observer) {
        this.channel = channel;
        this.limitBytes = limitBytes;
        this.observer = observer;
    }

    /** Whether a frame may be queued now without waiting. */
    public boolean writable() {
        return channel.isWritable() && queuedBytes.get() < limitBytes;
    }

    /** Queues one frame; completes when it is queued, waiting for room or failing fast as {@code policy} says. */
    public Mono<Void> send(Envelope frame, SendPolicy policy) {
        if (writable()) {
            enqueue(frame);
            schedule();
            return Mono.empty();
        }
        return room(policy).then(Mono.fromRunnable(() -> {
            enqueue(frame);
            schedule();
        }));
    }

    /**
     * Queues frames in order as one batch: one hand-off to the event loop for all of them. Room is checked once, so
     * a batch may take the queue past its limit by its own size.
     */
    public Mono<Void> sendAll(List<Envelope> frames, SendPolicy policy) {
        if (frames.isEmpty()) {
            return Mono.empty();
        }
        if (writable()) {
            enqueueAll(frames);
            return Mono.empty();
        }
        return room(policy).then(Mono.fromRunnable(() -> enqueueAll(frames)));
    }

    private void enqueueAll(List<Envelope> frames) {
        for (Envelope frame : frames) {
            enqueue(frame);
        }
        schedule();
    }

    /** Completes once the link has room, or fails as the policy says; only called when it has none now. */
    private Mono<Void> room(SendPolicy policy) {
        if (!channel.isActive()) {
            return Mono.error(closed());
        }
        if (policy == SendPolicy.FAIL_FAST) {
            return Mono.error(new PeerlinkException(
                    DisconnectReason.SLOW_PEER, "write buffer of the link is full (the peer reads too slowly)"));
        }
        return Mono.create(sink -> channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                sink.error(closed());
            } else if (writable()) {
                sink.success();
            } else {
                waiters.add(sink);
            }
        }));
    }

    private void enqueue(Envelope frame) {
        queuedBytes.addAndGet(frame.getSerializedSize());
        queue.offer(frame);
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        do {
            Batch batch = null;
            int frames = 0;
            try {
                for (Envelope frame = queue.poll(); frame != null; frame = queue.poll()) {
                    int size = frame.getSerializedSize(); // memoized by protobuf
                    queuedBytes.addAndGet(-size);
                    int total = CodedOutputStream.computeUInt32SizeNoTag(size) + size;
                    if (batch != null && !batch.fits(total)) {
                        channel.write(batch.finish(), channel.voidPromise());
                        batch = null;
                    }
                    if (batch == null) {
                        // sized for what is queued now (often one small frame) plus room for a few more that
                        // arrive meanwhile, up to a batch
                        long queued = Math.max(1024, queuedBytes.get() + total);
                        batch = new Batch(
                                channel.alloc().heapBuffer((int) Math.max(total, Math.min(BATCH_BYTES, queued))));
                    }
                    batch.add(frame, size);
                    frames++;
                }
            } catch (IOException | RuntimeException e) {
                if (batch != null) {
                    batch.release();
                    batch = null;
                }
                channel.pipeline().fireExceptionCaught(e);
            }
            if (batch != null) {
                channel.write(batch.finish(), channel.voidPromise());
                channel.flush();
            }
            if (frames > 0 && observer != TransportObserver.NOOP) {
                observer.messagesWritten("app", frames); // bypassed the pipeline's per-envelope counter
            }
            scheduled.set(false);
        } while (!queue.isEmpty() && scheduled.compareAndSet(false, true));
        wakeWaiters();
    }

    /**
     * Frames encoded back to back into one heap buffer through one protobuf encoder. Heap, because protobuf's
     * array encoder writes strings several times faster than its direct-buffer one; the transport copies the
     * finished batch to direct memory once, in one piece.
     */
    private static final class Batch {
        private final ByteBuf buf;
        private final int start;
        private final CodedOutputStream out;

        Batch(ByteBuf heap) {
            ByteBuf buf = heap;
            if (!heap.hasArray()) { // an allocator whose heap buffers have no array: encode into a plain one
                buf = io.netty.buffer.Unpooled.buffer(heap.capacity());
                heap.release();
            }
            this.buf = buf;
            this.start = buf.writerIndex();
            this.out = CodedOutputStream.newInstance(buf.array(), buf.arrayOffset() + start, buf.capacity() - start);
        }

        boolean fits(int frameBytes) {
            return out.spaceLeft() >= frameBytes;
        }

        void add(Envelope frame, int size) throws IOException {
            out.writeUInt32NoTag(size);
            frame.writeTo(out);
        }

        ByteBuf finish() {
            return buf.writerIndex(start + out.getTotalBytesWritten());
        }

        void release() {
            buf.release();
        }
    }

    /** Call on the event loop when the channel's writability changes. */
    public void wakeWaiters() {
        if (waiters.isEmpty() || !writable()) {
            return;
        }
        List<MonoSink<Void>> ready = new ArrayList<>(waiters);
        waiters.clear();
        ready.forEach(MonoSink::success);
    }

    /** Call on the event loop when the channel closed: waiting senders fail, queued frames are dropped. */
    public void close() {
        List<MonoSink<Void>> gone = new ArrayList<>(waiters);
        waiters.clear();
        gone.forEach(s -> s.error(closed()));
        queue.clear();
        queuedBytes.set(0);
    }

    /** Bytes queued here and not yet handed to the channel. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    private static PeerlinkException closed() {
        return new PeerlinkException(DisconnectReason.NOT_CONNECTED, "link closed");
    }
}
