package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.InboundMessage;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.TransportObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Inbound delivery follows each subscriber's demand: a {@code receive(protocol)} subscriber that stops requesting
 * pauses the links that carry its messages, and only those (architecture review: one shared sink let a slow
 * {@code receive("x")} pause every link).
 */
class ReceiveDemandIT {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int BUFFER = 16;
    static final int MESSAGES = 200;

    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    @Test
    void aStalledProtocolPausesOnlyTheLinksThatFeedItAndLosesNothing() {
        NodeIdentity hubKey = net.identity(Role.VALIDATOR);
        Network hub = new Network(
                hubKey,
                net.trust,
                TestNet.config(Role.VALIDATOR).build(),
                NetworkOptions.defaults().withIoThreads(1).withInboundBufferSize(BUFFER),
                TransportObserver.NOOP);
        net.nodes.add(hub);
        hub.start().block(WAIT);
        Network slowSender = net.start(Role.VALIDATOR, List.of(hub.boundAddress()));
        Network fastSender = net.start(Role.VALIDATOR, List.of(hub.boundAddress()));
        await().atMost(WAIT).until(() -> hub.peers().size() == 2);

        Stalled stalled = new Stalled();
        hub.receive("slow/1").subscribe(stalled);
        AtomicInteger fast = new AtomicInteger();
        Disposable fastSub = hub.receive("fast/1").subscribe(m -> fast.incrementAndGet());
        try {
            // far more than the stalled inbox holds: the slow sender's link pauses, its sends wait for room
            Disposable slowSends = Flux.range(0, MESSAGES)
                    .concatMap(i -> slowSender.send(hub.id(), "slow/1", ByteString.copyFromUtf8("s" + i)), 1)
                    .subscribe();
            await().atMost(WAIT).until(() -> stalled.received.get() == 0 && hubHoldsBack(hub));

            // the other protocol on the other link flows in full while "slow/1" is stalled
            Flux.range(0, MESSAGES)
                    .concatMap(i -> fastSender.send(hub.id(), "fast/1", ByteString.copyFromUtf8("f" + i)), 1)
                    .blockLast(WAIT);
            await().atMost(WAIT).until(() -> fast.get() == MESSAGES);
            assertThat(stalled.received.get())
                    .as("the stalled subscriber asked for nothing")
                    .isZero();

            // demand resumes the paused link: every slow message arrives, none lost
            stalled.request(Long.MAX_VALUE);
            await().atMost(WAIT).until(() -> stalled.received.get() == MESSAGES);
            assertThat(hub.peers()).hasSize(2);
            slowSends.dispose();
        } finally {
            fastSub.dispose();
            stalled.dispose();
        }
    }

    /** The hub's link from the slow sender has stopped reading because of the stalled subscriber. */
    private static boolean hubHoldsBack(Network hub) {
        return hub.peers().stream()
                .map(p -> hub.channelTo(p.connection().peer()))
                .anyMatch(ch -> ch != null && !ch.config().isAutoRead());
    }

    /** Requests nothing until told to. */
    static final class Stalled extends BaseSubscriber<InboundMessage> {
        final AtomicInteger received = new AtomicInteger();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no demand yet
        }

        @Override
        protected void hookOnNext(InboundMessage value) {
            received.incrementAndGet();
        }
    }
}
