package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.identity.NodeIdentity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Lost peers are noticed, published with their cause, and the mesh heals. */
class PeerLossIT {
    private final TestNet net = new TestNet();

    @AfterEach
    void stop() {
        net.close();
    }

    /** Records every event of every node, with the time it arrived. */
    static final class Recorder {
        final Map<NodeId, List<PeerEvent>> events = new ConcurrentHashMap<>();
        final Map<PeerEvent, Long> at = new ConcurrentHashMap<>();

        void follow(Network n) {
            List<PeerEvent> list = new CopyOnWriteArrayList<>();
            events.put(n.id(), list);
            n.events().subscribe(e -> {
                at.put(e, System.nanoTime());
                list.add(e);
            });
        }

        List<PeerEvent> of(Network n) {
            return events.get(n.id());
        }
    }

    static boolean lost(List<PeerEvent> events, NodeId peer, DisconnectReason reason) {
        return events.stream()
                .anyMatch(e ->
                        e instanceof PeerEvent.Lost l && l.connection().peer().equals(peer) && l.reason() == reason);
    }

    @Test
    void killedValidatorIsDetectedByEveryoneAndTheMeshReturnsAfterRestartWithTheSameKey() {
        List<Network> validators = MeshIT.chain(net, 6);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> MeshIT.assertFullMesh(validators));
        Recorder rec = new Recorder();
        validators.forEach(rec::follow);

        Network victim = validators.get(3);
        NodeIdentity victimKey = net.identities.get(victim.id());
        PeerAddress victimAddress = victim.boundAddress();
        long killedAt = System.nanoTime();
        victim.abort().block(Duration.ofSeconds(10));

        List<Network> survivors = new ArrayList<>(validators);
        survivors.remove(victim);
        Duration bound = TestNet.config(Role.VALIDATOR).build().heartbeat().detectionBound();
        await().atMost(bound.plusSeconds(2)).untilAsserted(() -> {
            for (Network s : survivors) {
                List<PeerEvent> seen = rec.of(s);
                assertThat(seen)
                        .as("events at %s", s.id())
                        .anySatisfy(e -> assertThat(e)
                                .isInstanceOfSatisfying(
                                        PeerEvent.Lost.class,
                                        l -> assertThat(l.connection().peer()).isEqualTo(victim.id())));
            }
        });
        for (Network s : survivors) {
            PeerEvent loss = rec.of(s).stream()
                    .filter(e -> e instanceof PeerEvent.Lost l
                            && l.connection().peer().equals(victim.id()))
                    .findFirst()
                    .orElseThrow();
            assertThat(Duration.ofNanos(rec.at.get(loss) - killedAt)).isLessThanOrEqualTo(bound);
        }

        Network restarted = net.start(
                victimKey, TestNet.config(Role.VALIDATOR).listen(victimAddress).build());
        List<Network> all = new ArrayList<>(survivors);
        all.add(restarted);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> MeshIT.assertFullMesh(all));
    }

    @Test
    void linkWhoseTrafficIsDroppedIsDetectedByMissedHeartbeats() {
        Network a = net.start(Role.VALIDATOR, List.of());
        Network b = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.peers().size() == 1 && b.peers().size() == 1);
        Recorder rec = new Recorder();
        rec.follow(a);
        rec.follow(b);

        // the socket stays open; every byte in either direction is silently dropped at a
        Channel ch = a.channelTo(b.id());
        assertThat(ch).isNotNull();
        ch.pipeline().addFirst("blackhole", new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof ByteBuf) {
                    ReferenceCountUtil.release(msg);
                    promise.setSuccess();
                } else {
                    ctx.write(msg, promise);
                }
            }
        });

        Duration bound = TestNet.config(Role.VALIDATOR).build().heartbeat().detectionBound();
        // both ends go silent at once, so either may time out first; its goodbye then reaches the other end as a
        // plain close (a drops the frame), so only the first to detect reports HEARTBEAT_TIMEOUT
        await().atMost(bound.plusSeconds(2))
                .until(() -> lost(rec.of(a), b.id(), DisconnectReason.HEARTBEAT_TIMEOUT)
                        || lost(rec.of(b), a.id(), DisconnectReason.HEARTBEAT_TIMEOUT));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> rec.of(a).stream().anyMatch(e -> e instanceof PeerEvent.Lost)
                        && rec.of(b).stream().anyMatch(e -> e instanceof PeerEvent.Lost));
        // and the validators find each other again over a fresh link
        await().atMost(Duration.ofSeconds(10))
                .until(() -> a.peers().size() == 1 && b.peers().size() == 1);
    }

    @Test
    void nodeThatLostEveryPeerBootstrapsAgainFromItsSeeds() {
        Network seed = net.start(Role.VALIDATOR, List.of());
        PeerAddress seedAddress = seed.boundAddress();
        // attach-to 0: the observer keeps to its seed and does not attach to the validator it could learn of
        Network observer = net.start(
                net.identity(Role.OBSERVER),
                TestNet.config(Role.OBSERVER).seeds(List.of(seedAddress)).build(),
                io.peerlink.transport.NetworkOptions.defaults().withIoThreads(1).withAttachTo(0));
        Network validator = net.start(Role.VALIDATOR, List.of(seedAddress));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> observer.peers().size() == 1 && validator.peers().size() == 1);

        // the seed dies; a different validator (new key) comes up at the seed address later
        seed.abort().block(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> observer.peers().isEmpty() && validator.peers().isEmpty());
        Network replacement = net.start(
                net.identity(Role.VALIDATOR),
                TestNet.config(Role.VALIDATOR).listen(seedAddress).build());

        // only the seed list can lead there: neither node ever learned the replacement's id
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(TestNet.peerIds(observer)).containsExactly(replacement.id());
            assertThat(TestNet.peerIds(validator)).containsExactly(replacement.id());
        });
    }
}
