package io.peerlink.transport.internal;

import io.netty.channel.Channel;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.link.LinkState;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The bounded queue behind {@code receive()}. When it is full, the channel that delivered the message stops
 * reading (TCP pushes back to the sender, whose writes then wait on writability) and resumes once there is room:
 * memory stays bounded on both ends and no message is dropped.
 */
public final class InboundQueue {
    private static final long RETRY_MICROS = 500;

    private final Sinks.Many<InboundMessage> sink;

    public InboundQueue(int capacity) {
        // the unsafe flavour skips Reactor's own serialization check: emit() below is synchronized already
        this.sink = Sinks.unsafe().many().multicast().onBackpressureBuffer(capacity, false);
    }

    public Flux<InboundMessage> flux() {
        return sink.asFlux();
    }

    /** Called on the channel's event loop. */
    public void deliver(Channel channel, InboundMessage message) {
        LinkState state = LinkState.of(channel);
        ArrayDeque<Object> pending = state.pendingInbound();
        if (!pending.isEmpty() || !emit(message)) {
            pending.add(message);
            if (!state.readPaused()) {
                state.readPaused(true);
                channel.config().setAutoRead(false);
                channel.eventLoop().schedule(() -> drain(channel), RETRY_MICROS, TimeUnit.MICROSECONDS);
            }
        }
    }

    private void drain(Channel channel) {
        LinkState state = LinkState.of(channel);
        ArrayDeque<Object> pending = state.pendingInbound();
        while (!pending.isEmpty()) {
            if (!channel.isActive()) {
                pending.clear();
                return;
            }
            if (!emit((InboundMessage) pending.peek())) {
                channel.eventLoop().schedule(() -> drain(channel), RETRY_MICROS, TimeUnit.MICROSECONDS);
                return;
            }
            pending.poll();
        }
        state.readPaused(false);
        channel.config().setAutoRead(true);
    }

    /** Emission is serialized: several event loops deliver into one sink. */
    private synchronized boolean emit(InboundMessage message) {
        Sinks.EmitResult result = sink.tryEmitNext(message);
        return result.isSuccess();
    }

    public synchronized void complete() {
        sink.tryEmitComplete();
    }
}
