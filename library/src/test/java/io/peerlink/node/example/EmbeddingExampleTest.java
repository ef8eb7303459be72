package io.peerlink.node.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.InMemoryTrustRegistry;
import io.peerlink.node.Node;
import io.peerlink.transport.NetworkOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** The example of docs/embedding.md, run as a test so it cannot rot. */
class EmbeddingExampleTest {
    private Node alice;
    private Node bob;

    @AfterEach
    void stop() {
        for (Node n : new Node[] {alice, bob}) {
            if (n != null) {
                n.stop().block(Duration.ofSeconds(10));
            }
        }
    }

    // --8<-- [start:example]
    @Test
    void twoEmbeddedNodesExchangeMessages() {
        // 1. identities and the trust registry (a FileTrustRegistry in production)
        NodeIdentity aliceKey = NodeIdentity.generate();
        NodeIdentity bobKey = NodeIdentity.generate();
        InMemoryTrustRegistry trust = new InMemoryTrustRegistry(Map.of(
                aliceKey.id(), Role.VALIDATOR,
                bobKey.id(), Role.VALIDATOR));

        // 2. build and start: alice listens, bob knows alice as his seed
        alice = Node.builder()
                .identity(aliceKey)
                .trust(trust)
                .config(NodeConfig.builder()
                        .role(Role.VALIDATOR)
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .build())
                .build();
        alice.start().block(Duration.ofSeconds(5));
        bob = Node.builder()
                .identity(bobKey)
                .trust(trust)
                .config(NodeConfig.builder()
                        .role(Role.VALIDATOR)
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .seed(alice.listenAddress())
                        .build())
                .build();
        bob.start().block(Duration.ofSeconds(5));

        // 3. wait until bob is authenticated by alice (events replay current peers first, so no race)
        PeerEvent first =
                alice.events().filter(e -> e instanceof PeerEvent.Connected).blockFirst(Duration.ofSeconds(10));
        assertThat(((PeerEvent.Connected) first).connection().peer()).isEqualTo(bob.id());

        // 4. receive on one protocol id, send on it
        List<String> got = new CopyOnWriteArrayList<>();
        alice.receive("chat/1").subscribe(m -> got.add(m.payload().toStringUtf8()));
        bob.send(alice.id(), "chat/1", ByteString.copyFromUtf8("hello alice")).block(Duration.ofSeconds(5));
        bob.send(alice.id(), "chat/1", Flux.just("one", "two", "three").map(ByteString::copyFromUtf8))
                .block(Duration.ofSeconds(5));

        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 4);
        assertThat(got).containsExactly("hello alice", "one", "two", "three");
    }
    // --8<-- [end:example]

    @Test
    void slowReceiverDoesNotGrowTheSendersMemoryWithoutBound() {
        NodeIdentity aliceKey = NodeIdentity.generate();
        NodeIdentity bobKey = NodeIdentity.generate();
        InMemoryTrustRegistry trust =
                new InMemoryTrustRegistry(Map.of(aliceKey.id(), Role.VALIDATOR, bobKey.id(), Role.VALIDATOR));
        // alice buffers at most 16 messages for her application, then stops reading from the socket
        alice = Node.builder()
                .identity(aliceKey)
                .trust(trust)
                .config(NodeConfig.builder()
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .build())
                .options(NetworkOptions.defaults().withInboundBufferSize(16))
                .build();
        alice.start().block(Duration.ofSeconds(5));
        bob = Node.builder()
                .identity(bobKey)
                .trust(trust)
                .config(NodeConfig.builder()
                        .listen(PeerAddress.parse("127.0.0.1:0"))
                        .seed(alice.listenAddress())
                        .build())
                .build();
        bob.start().block(Duration.ofSeconds(5));
        // a stable link: bob (the initiator) counts it as soon as alice's proof verifies, alice only once bob's
        // proof arrives; sending before alice has it races her handshake deadline on a cold, loaded JVM
        await().atMost(Duration.ofSeconds(10))
                .until(() -> bob.peers().size() == 1 && alice.peers().size() == 1);

        int messages = 3000;
        int size = 16 * 1024; // 48 MiB in all, far more than any buffer on the way
        AtomicLong received = new AtomicLong();
        // a slow consumer: one message at a time, a little work each
        Disposable consumer = alice.receive("bulk/1")
                .limitRate(1)
                .doOnNext(m -> {
                    busyWait(Duration.ofMillis(1));
                    received.incrementAndGet();
                })
                .subscribe();
        AtomicLong maxQueued = new AtomicLong();
        Disposable sampler = Flux.interval(Duration.ofMillis(5))
                .subscribe(i -> maxQueued.accumulateAndGet(bob.pendingOutboundBytes(alice.id()), Math::max));

        byte[] payload = new byte[size];
        bob.send(alice.id(), "bulk/1", Flux.range(0, messages).map(i -> ByteString.copyFrom(payload)))
                .block(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(120)).until(() -> received.get() == messages);
        sampler.dispose();
        consumer.dispose();

        // the sender waited for room instead of queueing 48 MiB: what it holds stays near the high-water mark
        // (1 MiB; with TLS a message can be counted both before and after encryption while it is wrapped)
        assertThat(maxQueued.get()).isLessThanOrEqualTo(2 * 1024 * 1024 + size);
        assertThat(maxQueued.get()).as("the receiver really pushed back").isGreaterThan(0);
        // and the link survived the long read pauses
        assertThat(bob.peers()).hasSize(1);
    }

    private static void busyWait(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
