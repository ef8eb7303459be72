package io.peerlink.transport.internal;

import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * One subscriber's bounded queue of application messages, for one protocol id or for all of them. Links offer
 * messages; a full inbox refuses, and the refused link pauses reading and waits here until the subscriber's demand
 * has taken the inbox down to half: then it is woken on its own event loop. Nothing polls.
 */
final class Inbox {
    private final @Nullable String protocol;
    private final int capacity;
    private final Consumer<PeerLink> wake;
    /** Messages handed to the sink that the subscriber has not taken yet. */
    private final AtomicInteger queued = new AtomicInteger();

    private final Queue<PeerLink> waiting = new ConcurrentLinkedQueue<>();
    private volatile @Nullable FluxSink<InboundMessage> sink;
    private volatile boolean disposed;

    /**
     * @param protocol the protocol id this inbox takes, or null for every message
     * @param wake resumes a paused link (runs the link's drain on its event loop)
     */
    Inbox(@Nullable String protocol, int capacity, Consumer<PeerLink> wake) {
        this.protocol = protocol;
        this.capacity = capacity;
        this.wake = wake;
    }

    /** The subscriber's stream; {@code onStart} runs once the sink exists, {@code onEnd} when it goes away. */
    Flux<InboundMessage> flux(Runnable onStart, Runnable onEnd) {
        return Flux.<InboundMessage>create(
                        s -> {
                            sink = s;
                            s.onDispose(() -> {
                                disposed = true;
                                onEnd.run();
                                wakeAll(); // links waiting here re-route without this inbox
                            });
                            onStart.run();
                        },
                        FluxSink.OverflowStrategy.BUFFER)
                .doOnNext(m -> taken());
    }

    boolean accepts(InboundMessage message) {
        return !disposed && (protocol == null || protocol.equals(message.protocol()));
    }

    /**
     * Hands a message over if there is room. A disposed inbox takes everything (its subscriber is gone, so the
     * message is nobody's to wait for).
     */
    boolean offer(InboundMessage message) {
        FluxSink<InboundMessage> s = sink;
        if (disposed || s == null) {
            return true;
        }
        int q;
        do { // a plain CAS loop: this runs per message, on the event loop
            q = queued.get();
            if (q >= capacity) {
                return false;
            }
        } while (!queued.compareAndSet(q, q + 1));
        s.next(message);
        return true;
    }

    /** Parks a refused link until there is room; re-checks afterwards so a wake-up between the two is not lost. */
    void await(PeerLink link) {
        waiting.add(link);
        if (disposed || queued.get() < capacity) {
            wakeAll();
        }
    }

    void complete() {
        FluxSink<InboundMessage> s = sink;
        if (s != null) {
            s.complete();
        }
    }

    private void taken() {
        if (queued.decrementAndGet() <= capacity / 2 && !waiting.isEmpty()) {
            wakeAll();
        }
    }

    private void wakeAll() {
        PeerLink ch;
        while ((ch = waiting.poll()) != null) {
            wake.accept(ch);
        }
    }
}
