package io.peerlink.transport.link;

import io.netty.channel.Channel;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerlinkException;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.transport.NetworkOptions.SendPolicy;
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
 * drain task on the link's event loop, with a single flush per batch: a per-message write task and event loop
 * wake-up would cap throughput far below the socket's. The queue counts its bytes toward the link's writability, so
 * a slow peer makes senders wait (or fail fast) instead of growing memory.
 *
 * <pre>{@code
 * OutboundQueue q = LinkState.of(channel).outbound();
 * q.send(envelope, SendPolicy.WAIT).subscribe();
 * }</pre>
 */
public final class OutboundQueue {
    private final Channel channel;
    private final long limitBytes;
    private final Queue<Envelope> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    // event-loop confined
    private final List<MonoSink<Void>> waiters = new ArrayList<>(1);

    public OutboundQueue(Channel channel, long limitBytes) {
        this.channel = channel;
        this.limitBytes = limitBytes;
    }

    /** Whether a frame may be queued now without waiting. */
    public boolean writable() {
        return channel.isWritable() && queuedBytes.get() < limitBytes;
    }

    /** Queues one frame; completes when it is queued, waiting for room or failing fast as {@code policy} says. */
    public Mono<Void> send(Envelope frame, SendPolicy policy) {
        if (writable()) {
            enqueue(frame);
            return Mono.empty();
        }
        if (!channel.isActive()) {
            return Mono.error(closed());
        }
        if (policy == SendPolicy.FAIL_FAST) {
            return Mono.error(new PeerlinkException(DisconnectReason.SLOW_PEER,
                    "write buffer of the link is full (the peer reads too slowly)"));
        }
        return Mono.<Void>create(sink -> channel.eventLoop().execute(() -> {
                    if (!channel.isActive()) {
                        sink.error(closed());
                    } else if (writable()) {
                        sink.success();
                    } else {
                        waiters.add(sink);
                    }
                }))
                .then(Mono.fromRunnable(() -> enqueue(frame)));
    }

    private void enqueue(Envelope frame) {
        queuedBytes.addAndGet(frame.getSerializedSize());
        queue.offer(frame);
        if (scheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        do {
            int written = 0;
            for (Envelope frame = queue.poll(); frame != null; frame = queue.poll()) {
                queuedBytes.addAndGet(-frame.getSerializedSize());
                channel.write(frame, channel.voidPromise());
                written++;
            }
            if (written > 0) {
                channel.flush();
            }
            scheduled.set(false);
        } while (!queue.isEmpty() && scheduled.compareAndSet(false, true));
        wakeWaiters();
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
