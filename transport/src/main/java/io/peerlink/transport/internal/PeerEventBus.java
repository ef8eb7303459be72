package io.peerlink.transport.internal;

import io.peerlink.core.Connection;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.util.concurrent.Queues;

/**
 * Fans peer events out to any number of subscribers. Each subscriber has its own bounded queue and is called on the
 * delivery scheduler, never on the I/O thread that published: a subscriber that blocks holds up only itself, and
 * when its queue is full it is dropped with an error instead. A new subscriber first
 * receives the current peers as {@code Connected}, atomically with respect to live events, so it never misses or
 * doubles one.
 */
public final class PeerEventBus {
    private static final Logger log = LoggerFactory.getLogger(PeerEventBus.class);

    /**
     * How many events a subscriber's delivery stage holds besides its queue: one, so that "more than bufferSize
     * events behind" stays the rule (peer events are rare; a request per event costs nothing here).
     */
    private static final int DELIVERY_PREFETCH = 1;

    private final int bufferSize;
    private final Scheduler delivery;
    private final Map<NodeId, Connection> connected = new LinkedHashMap<>();
    private final List<Sinks.Many<PeerEvent>> subscribers = new ArrayList<>();
    private boolean closed;

    /**
     * @param bufferSize events queued per subscriber before it is dropped
     * @param delivery where subscribers are called ({@code Schedulers.boundedElastic()} in a node: each subscriber
     *     gets its own worker, and may block it; {@code Schedulers.immediate()} in tests of the bus itself)
     */
    public PeerEventBus(int bufferSize, Scheduler delivery) {
        if (bufferSize <= 0) {
            throw new IllegalArgumentException("bufferSize: " + bufferSize + " (expected: > 0)");
        }
        this.bufferSize = bufferSize;
        this.delivery = java.util.Objects.requireNonNull(delivery, "delivery");
    }

    public Flux<PeerEvent> events() {
        return Flux.defer(() -> {
            Sinks.Many<PeerEvent> sink = Sinks.many()
                    .unicast()
                    .onBackpressureBuffer(Queues.<PeerEvent>get(bufferSize).get());
            synchronized (this) {
                for (Connection c : connected.values()) {
                    sink.tryEmitNext(new PeerEvent.Connected(c));
                }
                if (closed) {
                    sink.tryEmitComplete();
                } else {
                    subscribers.add(sink);
                }
            }
            return sink.asFlux().publishOn(delivery, DELIVERY_PREFETCH).doFinally(s -> remove(sink));
        });
    }

    private synchronized void remove(Sinks.Many<PeerEvent> sink) {
        subscribers.remove(sink);
    }

    /** Publishes one event and keeps the connected-peers view in step with it. */
    public synchronized void publish(PeerEvent event) {
        if (event instanceof PeerEvent.Connected c) {
            connected.put(c.connection().peer(), c.connection());
        } else if (event instanceof PeerEvent.Restarted r) {
            connected.put(r.current().peer(), r.current());
        } else if (event instanceof PeerEvent.Disconnected d) {
            connected.remove(d.connection().peer());
        } else if (event instanceof PeerEvent.Lost l) {
            connected.remove(l.connection().peer());
        }
        if (subscribers.isEmpty()) {
            return;
        }
        // a snapshot: a subscriber may cancel (and leave the list) from inside onNext
        for (Sinks.Many<PeerEvent> sink : List.copyOf(subscribers)) {
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                log.warn("dropping a peer event subscriber that fell {} events behind", bufferSize);
                subscribers.remove(sink);
                sink.tryEmitError(new IllegalStateException(
                        "peer event subscriber too slow: more than " + bufferSize + " events buffered"));
            } else if (result.isFailure()) {
                // cancelled or terminated: the subscriber is gone
                subscribers.remove(sink);
            }
        }
    }

    /** Updates the view of a peer without an event (a silent swap of the link that carries it). */
    public synchronized void replace(Connection connection) {
        connected.put(connection.peer(), connection);
    }

    /** Completes every subscriber. */
    public synchronized void complete() {
        closed = true;
        List<Sinks.Many<PeerEvent>> all = List.copyOf(subscribers);
        subscribers.clear();
        all.forEach(Sinks.Many::tryEmitComplete);
    }
}
