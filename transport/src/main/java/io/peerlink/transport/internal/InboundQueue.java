package io.peerlink.transport.internal;

import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.internal.link.PeerLink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Delivers application messages to {@code receive()} subscribers, driven by their demand. Every subscriber has its
 * own bounded {@link Inbox} (all messages, or one protocol id); a link offers each message to the inboxes that take
 * it. When one is full the link keeps the message, stops reading from its socket (TCP pushes back to the sender,
 * whose writes then wait on writability) and is woken by that inbox once its subscriber has taken half of it:
 * memory stays bounded on both ends, no message is dropped, and a slow subscriber pauses only the links that carry
 * messages for it. With no subscriber at all, links pause until the first one arrives. A message that no subscriber
 * takes while others exist is discarded, as a stream filter would.
 */
public final class InboundQueue {
    private final int capacity;
    private final List<Inbox> inboxes = new CopyOnWriteArrayList<>();
    private final Queue<PeerLink> waitingForSubscriber = new ConcurrentLinkedQueue<>();
    private volatile boolean completed;

    /** @param capacity messages each subscriber may have queued before the links that feed it pause */
    public InboundQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.capacity = capacity;
    }

    /** Every message ({@code protocol == null}) or those of one protocol id. */
    public Flux<InboundMessage> receive(@Nullable String protocol) {
        return Flux.defer(() -> {
            if (completed) {
                return Flux.empty();
            }
            Inbox inbox = new Inbox(protocol, capacity, this::wake);
            return inbox.flux(
                    () -> {
                        inboxes.add(inbox);
                        wakeAll(waitingForSubscriber);
                    },
                    () -> inboxes.remove(inbox));
        });
    }

    /** Called on the channel's event loop for every application message of an authenticated link. */
    public void deliver(PeerLink link, InboundMessage message) {
        ArrayDeque<Object> pending = link.inboundBacklog();
        if (pending.isEmpty()) {
            Pending rest = offerToAll(link, message);
            if (rest == null) {
                return; // the common case: every inbox that takes it had room, nothing allocated
            }
            pending.add(rest);
        } else {
            pending.add(new Pending(message, null)); // behind the messages already waiting: order per link holds
        }
        link.pauseReading();
    }

    /**
     * Hands {@code message} to every inbox that takes it. Null when all had room; otherwise what is still to be
     * done, with the channel parked on the first full inbox (or on the first subscriber, when there is none).
     */
    private @Nullable Pending offerToAll(PeerLink link, InboundMessage message) {
        if (inboxes.isEmpty()) {
            waitingForSubscriber.add(link);
            if (!inboxes.isEmpty()) {
                wakeAll(waitingForSubscriber); // a subscriber came between the check and the park
            }
            return new Pending(message, null);
        }
        List<Inbox> left = null;
        for (Inbox inbox : inboxes) {
            if (!inbox.accepts(message)) {
                continue;
            }
            if (left != null) {
                left.add(inbox);
            } else if (!inbox.offer(message)) {
                left = new ArrayList<>(2);
                left.add(inbox);
            }
        }
        if (left == null) {
            return null;
        }
        left.get(0).await(link);
        return new Pending(message, left);
    }

    /** Completes every subscriber (the node stopped). */
    public void complete() {
        completed = true;
        inboxes.forEach(Inbox::complete);
        inboxes.clear();
    }

    /** Runs on whatever thread freed room (a subscriber's): hands the drain to the channel's own loop. */
    private void wake(PeerLink link) {
        try {
            link.channel().eventLoop().execute(() -> drain(link));
        } catch (RejectedExecutionException e) {
            // the loop has shut down with its channels (the node stopped): nothing is left to resume, and the
            // subscriber that freed the room must not get the error
        }
    }

    private void wakeAll(Queue<PeerLink> links) {
        PeerLink link;
        while ((link = links.poll()) != null) {
            wake(link);
        }
    }

    /** Runs on the channel's event loop: hands over what waited, then reads again if everything went. */
    private void drain(PeerLink link) {
        ArrayDeque<Object> pending = link.inboundBacklog();
        while (!pending.isEmpty()) {
            if (!link.channel().isActive()) {
                pending.clear();
                return;
            }
            if (!((Pending) pending.peek()).offer(link)) {
                return; // parked again on whatever is still full
            }
            pending.poll();
        }
        link.resumeReading();
    }

    /** A message and the inboxes it has still to reach (null: not routed yet, decided when first offered). */
    private final class Pending {
        private final InboundMessage message;
        private @Nullable List<Inbox> remaining;

        Pending(InboundMessage message, @Nullable List<Inbox> remaining) {
            this.message = message;
            this.remaining = remaining;
        }

        /** True once every inbox that takes the message has it; else the link is parked on a full one. */
        boolean offer(PeerLink link) {
            List<Inbox> targets = remaining;
            if (targets == null) {
                Pending rest = offerToAll(link, message);
                if (rest == null) {
                    return true;
                }
                remaining = rest.remaining;
                return false;
            }
            while (!targets.isEmpty()) {
                Inbox next = targets.get(0);
                if (!next.offer(message)) {
                    next.await(link);
                    return false;
                }
                targets.remove(0);
            }
            return true;
        }
    }
}
