package com.example.embedder;

import com.google.protobuf.ByteString;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.node.Node;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * The example of docs/embedding.md as an application of its own: two validators in one JVM link, exchange messages
 * on one protocol id, report their peer events and stop.
 */
public final class EmbedderApp {
    /** What the run saw, for the caller to check. */
    public record Outcome(List<String> received, List<String> aliceEvents, List<String> bobEvents) {}

    private EmbedderApp() {}

    public static Outcome run() {
        // 1. identities and the trust registry (a FileTrustRegistry and KeyFiles.load(..) in production)
        NodeIdentity aliceKey = NodeIdentity.generate();
        NodeIdentity bobKey = NodeIdentity.generate();
        InMemoryTrustRegistry trust = new InMemoryTrustRegistry(Map.of(
                aliceKey.id(), Role.VALIDATOR,
                bobKey.id(), Role.VALIDATOR));

        // 2. build and start: alice listens on an ephemeral port, bob knows alice as his seed
        Node alice = Node.builder()
                .identity(aliceKey)
                .trust(trust)
                .config(NodeConfig.builder().role(Role.VALIDATOR).listen(PeerAddress.parse("127.0.0.1:0")).build())
                .build();
        alice.start().block(Duration.ofSeconds(10));
        Node bob = Node.builder()
                .identity(bobKey)
                .trust(trust)
                .config(NodeConfig.builder()
                        .role(Role.VALIDATOR)
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .seed(alice.listenAddress())
                        .build())
                .build();
        bob.start().block(Duration.ofSeconds(10));
        try {
            // 3. peer events: each subscriber first gets the current peers as Connected, then live changes
            List<String> aliceEvents = new CopyOnWriteArrayList<>();
            List<String> bobEvents = new CopyOnWriteArrayList<>();
            Disposable aliceWatch = alice.events().subscribe(e -> aliceEvents.add(describe(e)));
            Disposable bobWatch = bob.events().subscribe(e -> bobEvents.add(describe(e)));

            // wait until each side has authenticated the other
            connected(alice, bob.id());
            connected(bob, alice.id());

            // 4. receive on one protocol id, send on it: one message, then a stream
            List<String> received = new CopyOnWriteArrayList<>();
            Disposable inbox = alice.receive("chat/1").subscribe(m -> received.add(m.payload().toStringUtf8()));
            bob.send(alice.id(), "chat/1", ByteString.copyFromUtf8("hello alice")).block(Duration.ofSeconds(10));
            bob.send(alice.id(), "chat/1", Flux.just("one", "two", "three").map(ByteString::copyFromUtf8))
                    .block(Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (received.size() < 4 && System.nanoTime() < deadline) {
                sleep(10);
            }
            inbox.dispose();

            // 5. stop bob: alice is told why (an orderly goodbye, not a loss)
            bob.stop().block(Duration.ofSeconds(10));
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (aliceEvents.stream().noneMatch(s -> s.startsWith("Disconnected")) && System.nanoTime() < deadline) {
                sleep(10);
            }
            aliceWatch.dispose();
            bobWatch.dispose();
            return new Outcome(List.copyOf(received), List.copyOf(aliceEvents), List.copyOf(bobEvents));
        } finally {
            bob.stop().block(Duration.ofSeconds(10));
            alice.stop().block(Duration.ofSeconds(10));
        }
    }

    private static void connected(Node node, NodeId peer) {
        node.events()
                .filter(e -> e instanceof PeerEvent.Connected c && c.connection().peer().equals(peer))
                .blockFirst(Duration.ofSeconds(15));
    }

    private static String describe(PeerEvent e) {
        return e.getClass().getSimpleName() + " " + e;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) {
        Outcome outcome = run();
        System.out.println("received: " + outcome.received());
        System.out.println("alice saw: " + outcome.aliceEvents());
        System.out.println("bob saw: " + outcome.bobEvents());
        System.exit(outcome.received().size() == 4 ? 0 : 1);
    }
}
