package io.peerlink.transport.testing;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.Pong;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A trusted validator that plays by its own rules after an honest handshake: on its own thread it keeps the link
 * alive (answers pings), answers the node's peer-exchange requests with whatever {@code answers} makes, and sends
 * whatever the test queues. Its thread stops when the link ends, at {@link #close()}, or after {@code lifetime}.
 *
 * <pre>{@code
 * try (Insider mallory = Insider.connect(target.boundAddress(), rawPeer, request -> lies(), Duration.ofSeconds(30))) {
 *     mallory.send(announcement);
 *     assertThat(mallory.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.PEX_ABUSE);
 * }
 * }</pre>
 */
public final class Insider implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);

    private final RawClient client;
    private final Function<PeerExchangeRequest, @Nullable PeerExchangeResponse> answers;
    private final ConcurrentLinkedQueue<Envelope> outgoing = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requestsSeen = new AtomicInteger();
    private final AtomicReference<@Nullable DisconnectReason> disconnect = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    private Insider(
            RawClient client,
            Function<PeerExchangeRequest, @Nullable PeerExchangeResponse> answers,
            Duration lifetime) {
        this.client = client;
        this.answers = answers;
        this.thread = new Thread(() -> run(lifetime), "insider");
        thread.setDaemon(true);
    }

    /** Connects and authenticates as {@code me}, then starts the insider's thread. */
    public static Insider connect(
            PeerAddress target,
            RawPeer me,
            Function<PeerExchangeRequest, @Nullable PeerExchangeResponse> answers,
            Duration lifetime) {
        RawClient client = RawClient.connect(target);
        client.authenticate(me, Duration.ofSeconds(10));
        Insider insider = new Insider(client, answers, lifetime);
        insider.thread.start();
        return insider;
    }

    private void run(Duration lifetime) {
        try {
            loop(lifetime);
        } catch (java.io.UncheckedIOException closed) {
            // the node closed the link
        }
    }

    private void loop(Duration lifetime) {
        long deadline = System.nanoTime() + lifetime.toNanos();
        while (!stopped && System.nanoTime() - deadline < 0 && !client.ended()) {
            Envelope e = client.poll(POLL);
            if (e != null) {
                if (e.hasPing()) {
                    client.send(Envelope.newBuilder()
                            .setPong(Pong.newBuilder().setNonce(e.getPing().getNonce()))
                            .build());
                } else if (e.hasPeerExchangeRequest()) {
                    requestsSeen.incrementAndGet();
                    PeerExchangeResponse answer = answers.apply(e.getPeerExchangeRequest());
                    if (answer != null) {
                        client.send(Envelope.newBuilder()
                                .setPeerExchangeResponse(answer)
                                .build());
                    }
                } else if (e.hasDisconnect()) {
                    disconnect.set(Frames.reasonOf(e));
                    return;
                }
            }
            Envelope next;
            for (int i = 0; i < 1000 && (next = outgoing.poll()) != null; i++) {
                client.send(next);
            }
        }
    }

    /** Queues a frame for the insider's thread to send. */
    public void send(Envelope envelope) {
        outgoing.add(envelope);
    }

    /** Peer-exchange requests received from the node. */
    public int requestsSeen() {
        return requestsSeen.get();
    }

    /** Whether the insider's thread still runs (the link is up, as far as it knows). */
    public boolean alive() {
        return thread.isAlive();
    }

    /** The reason of the node's {@code Disconnect}, once the thread has ended; fails if none came in time. */
    public DisconnectReason awaitDisconnect(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DisconnectReason r = disconnect.get();
        if (r == null) {
            throw new AssertionError(thread.isAlive() ? "still linked after " + timeout : "closed without a reason");
        }
        return r;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
