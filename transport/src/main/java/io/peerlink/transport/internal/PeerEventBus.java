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
import reactor.util.concurrent.Queues;

/**
 * Fans peer events out to any number of subscribers. Each subscriber has its own bounded queue, so a slow one
 * never stalls networking: when its queue is full it is dropped with an error instead. A new subscriber first
 * receives the current peers as {@code Connected}, atomically with respect to live events, so it never misses or
 * doubles one.
 */
public final class PeerEventBus {
    private static final Logger log = LoggerFactory.getLogger(PeerEventBus.class);

    private final int bufferSize;
    private final Map<NodeId, Connection> connected = new LinkedHashMap<>();
    private final List<Sinks.Many<PeerEvent>> subscribers = new ArrayList<>();
    private boolean closed;

    public PeerEventBus(int bufferSize) {
        this.bufferSize = bufferSize;
    }

    public Flux<PeerEvent> events() {
        return Flux.defer(() -> {
            Sinks.Many<PeerEvent> sink =
                    Sinks.many().unicast().onBackpressureBuffer(Queues.<PeerEvent>get(bufferSize).get());
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
            return sink.asFlux().doFinally(s -> remove(sink));
        });
    }

    private synchronized void remove(Sinks.Many<PeerEvent> sink) {
        subscribers.remove(sink);
    }

    /** Publishes one event and keeps the connected-peers view in step with it. */
    public synchronized void publish(PeerEvent event) {
        if (event instanceof PeerEvent.Connected c) {
            connected.put(c.connection().peer(), c.connection());
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
