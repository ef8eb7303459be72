package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.PexPolicy;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.proto.v1.AddressRecord;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.proto.v1.PeerExchangeRequest;
import io.peerlink.proto.v1.PeerExchangeResponse;
import io.peerlink.proto.v1.SignedAddressRecord;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.testing.Insider;
import io.peerlink.transport.testing.NotPeerlinkService;
import io.peerlink.transport.testing.RawClient;
import io.peerlink.transport.testing.RawPeer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trusted insider (a validator with a valid key, driven by hand after an honest handshake) lies in peer exchange
 * or floods it; honest links and addresses hold, scanning stays within the dial budget, and the flooder is
 * disconnected with {@code PEX_ABUSE} and banned. Issue 11.
 */
class InsiderIT {
    static final Duration WAIT = Duration.ofSeconds(10);

    final TestNet net = new TestNet();
    final PexObserver observer = new PexObserver();
    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        net.close();
    }

    Network target(NodeConfig.Builder config) {
        NodeIdentity id = net.identity(Role.VALIDATOR);
        Network n = new Network(
                id, net.trust, config.build(), NetworkOptions.defaults().withIoThreads(1), observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(events::add);
        return n;
    }

    Insider insider(
            Network target,
            RawPeer me,
            java.util.function.Function<PeerExchangeRequest, @Nullable PeerExchangeResponse> answers) {
        Insider i = Insider.connect(target.boundAddress(), me, answers, Duration.ofSeconds(60));
        closeables.add(i);
        return i;
    }

    static Envelope answer(List<SignedAddressRecord> records, boolean announcement) {
        return Envelope.newBuilder()
                .setPeerExchangeResponse(
                        PeerExchangeResponse.newBuilder().addAllRecords(records).setAnnouncement(announcement))
                .build();
    }

    static SignedAddressRecord record(NodeIdentity about, List<PeerAddress> addresses, long sequence) {
        return AddressRecords.sign(about, about.publicKey(), about.id(), addresses, sequence);
    }

    /** A record about {@code about} signed by {@code signer}, presenting {@code key}. */
    static SignedAddressRecord forged(
            NodeIdentity signer, byte[] key, NodeIdentity about, PeerAddress address, long sequence) {
        ByteString body = AddressRecord.newBuilder()
                .setNodeId(ByteString.copyFrom(about.id().toBytes()))
                .addAddresses(address.toString())
                .setSequence(sequence)
                .build()
                .toByteString();
        return SignedAddressRecord.newBuilder()
                .setPublicKey(ByteString.copyFrom(key))
                .setRecord(body)
                .setSignature(ByteString.copyFrom(signer.sign(AddressRecords.signedBytes(body))))
                .build();
    }

    /** A loopback port nothing listens on (bound once, then released). */
    static PeerAddress closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new PeerAddress("127.0.0.1", s.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills {@code b}, keeps it down for {@code down}, restarts it (no seeds) at the same address and key. */
    Duration restartAndTimeRelink(Network a, Network b, Duration down) {
        NodeIdentity key = net.identities.get(b.id());
        PeerAddress address = b.boundAddress();
        b.abort().block(WAIT);
        await().atMost(WAIT).until(() -> !TestNet.peerIds(a).contains(b.id()));
        await().pollDelay(down).atMost(down.plusSeconds(1)).until(() -> true);
        long start = System.nanoTime();
        Network again =
                net.start(key, TestNet.config(Role.VALIDATOR).listen(address).build());
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> TestNet.peerIds(a).contains(again.id()));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void insiderLyingAboutARestartingValidatorCannotKeepItFromTheAddressItProved() {
        Network a = target(TestNet.config(Role.VALIDATOR));
        Network b = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(WAIT).until(() -> TestNet.peerIds(a).contains(b.id()));
        PeerAddress proven = b.boundAddress();
        NodeIdentity bKey = net.identities.get(b.id());

        Duration normal = restartAndTimeRelink(a, b, Duration.ofSeconds(2));
        Network b2 = net.nodes.get(net.nodes.size() - 1);

        // the insider says B lives at a closed port: in a record it signs itself, in one presenting B's key, and
        // in a record really signed with B's key and a far higher sequence (a record B once made, replayed)
        NodeIdentity malloryKey = net.identity(Role.VALIDATOR);
        PeerAddress closed = closedPort();
        long far = System.currentTimeMillis() + Duration.ofDays(30).toMillis();
        List<SignedAddressRecord> lies = List.of(
                forged(malloryKey, malloryKey.publicKey(), bKey, closed, far),
                forged(malloryKey, bKey.publicKey(), bKey, closed, far),
                record(bKey, List.of(closed), far));
        Insider mallory = insider(
                a,
                new RawPeer(malloryKey, Role.VALIDATOR, ""),
                request -> PeerExchangeResponse.newBuilder()
                        .addRecords(lies.get(2))
                        .build());
        AtomicInteger told = new AtomicInteger();
        Thread liar = new Thread(
                () -> {
                    for (int i = 0; i < 400 && mallory.alive(); i++) { // bounded: 400 x 100 ms
                        mallory.send(answer(List.of(lies.get(i % lies.size())), true));
                        told.incrementAndGet();
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "liar");
        liar.setDaemon(true);
        liar.start();
        closeables.add(liar::interrupt);
        await().atMost(WAIT).until(() -> told.get() >= 6);

        Duration attacked = restartAndTimeRelink(a, b2, Duration.ofSeconds(2));
        System.out.printf(
                "InsiderIT restart re-link: %d ms normally, %d ms while an insider relays lies%n",
                normal.toMillis(), attacked.toMillis());

        assertThat(attacked).isLessThanOrEqualTo(normal.multipliedBy(2).plusSeconds(3));
        assertThat(observer.count(observer.rejectedRecords, "key_mismatch")).isPositive();
        assertThat(observer.count(observer.rejectedRecords, "bad_signature")).isPositive();
        // the genuine-key lie was tried within the per-node budget at most, never instead of the proven address
        assertThat(observer.attempts(closed))
                .isLessThanOrEqualTo(PexPolicy.defaults().newAddressDialsPerNodePerMinute());
        assertThat(observer.attempts(proven)).isPositive();
        // and the lies go on without cutting the link
        int before = told.get();
        await().atMost(WAIT).until(() -> told.get() >= before + 10);
        assertThat(TestNet.peerIds(a)).contains(b2.id());
        assertThat(mallory.alive())
                .as("lies in signed form are dropped, not abuse")
                .isTrue();
    }

    @Test
    void insiderRotatingAddressesOfOfflineValidatorsGetsNoMoreDialsThanTheBudget() throws Exception {
        int perMinute = 10;
        int perNode = 2;
        Network a = target(
                TestNet.config(Role.VALIDATOR).pex(PexPolicy.defaults().withNewAddressDials(perMinute, perNode)));
        Network honest = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(WAIT).until(() -> TestNet.peerIds(a).contains(honest.id()));

        // 20 trusted validators that are offline, whose keys the insider holds (one operator, many validators)
        List<NodeIdentity> offline = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            offline.add(net.identity(Role.VALIDATOR));
        }
        List<NotPeerlinkService> services = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            NotPeerlinkService s = new NotPeerlinkService();
            closeables.add(s);
            services.add(s);
        }
        List<PeerAddress> closed = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            closed.add(closedPort());
        }
        Set<PeerAddress> pool = new java.util.HashSet<>(closed);
        services.forEach(s -> pool.add(s.address()));

        AtomicInteger round = new AtomicInteger();
        java.util.function.IntFunction<SignedAddressRecord> rotated = i -> {
            int r = round.incrementAndGet();
            // a not-peerlink service first, then three closed ports, different every time
            return record(
                    offline.get(i % offline.size()),
                    List.of(
                            services.get(r % services.size()).address(),
                            closed.get(r % closed.size()),
                            closed.get((r + 7) % closed.size()),
                            closed.get((r + 13) % closed.size())),
                    System.currentTimeMillis() + r);
        };
        NodeIdentity malloryKey = net.identity(Role.VALIDATOR);
        Insider mallory = insider(a, new RawPeer(malloryKey, Role.VALIDATOR, ""), request -> {
            PeerExchangeResponse.Builder all = PeerExchangeResponse.newBuilder();
            for (int i = 0; i < offline.size(); i++) {
                all.addRecords(rotated.apply(i));
            }
            return all.build();
        });

        long start = System.nanoTime();
        Duration attack = Duration.ofSeconds(10);
        int announced = 0;
        for (int i = 0; System.nanoTime() - start < attack.toNanos() && i < 200; i++) { // bounded in count and time
            mallory.send(answer(List.of(rotated.apply(i)), true));
            announced++;
            await().pollDelay(Duration.ofMillis(50))
                    .atMost(Duration.ofSeconds(1))
                    .until(() -> true);
        }
        double minutes = (System.nanoTime() - start) / 60e9;
        int attempts = observer.attemptsTo(pool);
        int accepts = services.stream().mapToInt(s -> s.accepts()).sum();
        System.out.printf(
                "InsiderIT scan: %d announcements and %d answers over %.1f s; %d dial attempts to %d "
                        + "rotated addresses, %d accepts on %d non-peerlink services, %d budget refusals, "
                        + "%d addresses cooled down%n",
                announced,
                mallory.requestsSeen(),
                minutes * 60,
                attempts,
                pool.size(),
                accepts,
                services.size(),
                observer.refusals.values().stream().mapToInt(AtomicInteger::get).sum(),
                observer.cooledDown.size());

        // the global budget: full at start, refilled at perMinute per minute
        assertThat(attempts).isLessThanOrEqualTo(perMinute + (int) Math.ceil(perMinute * minutes));
        // every non-peerlink service answered once at most, then was left alone
        assertThat(accepts).isLessThanOrEqualTo(services.size());
        assertThat(observer.cooledDown)
                .containsAnyElementsOf(
                        services.stream().map(NotPeerlinkService::address).toList());
        assertThat(observer.count(observer.refusals, "global") + observer.count(observer.refusals, "node"))
                .isPositive();
        assertThat(TestNet.peerIds(a)).contains(honest.id());
    }

    /** Floods {@code a} with {@code flood} from a fresh insider; checks the PEX_ABUSE disconnect and the ban. */
    void floodIsCutOffAndBanned(Network a, java.util.function.Consumer<Insider> flood) {
        Network honest = net.start(Role.VALIDATOR, List.of(a.boundAddress()));
        await().atMost(WAIT).until(() -> TestNet.peerIds(a).contains(honest.id()));
        RawPeer me = new RawPeer(net.identity(Role.VALIDATOR), Role.VALIDATOR, "");
        Insider mallory = insider(a, me, request -> PeerExchangeResponse.getDefaultInstance());
        await().atMost(WAIT).until(() -> mallory.requestsSeen() >= 1); // answered honestly so far

        long start = System.nanoTime();
        flood.accept(mallory);

        assertThat(mallory.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.PEX_ABUSE);
        System.out.printf(
                "InsiderIT flood: disconnected with pex_abuse %d ms after the flood began%n",
                (System.nanoTime() - start) / 1_000_000);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(PeerEvent.Disconnected.class, d -> {
                            assertThat(d.connection().peer()).isEqualTo(me.id());
                            assertThat(d.reason()).isEqualTo(DisconnectReason.PEX_ABUSE);
                            assertThat(d.byPeer()).isFalse();
                        })));
        assertThat(observer.abuse).hasSize(1);
        // kept out: the same id is refused at the handshake while banned
        try (RawClient again = RawClient.connect(a.boundAddress())) {
            again.send(me.identify());
            assertThat(again.awaitDisconnect(WAIT)).isEqualTo(DisconnectReason.BANNED);
        }
        assertThat(TestNet.peerIds(a)).doesNotContain(me.id()).contains(honest.id());
    }

    @Test
    void peerExchangeRequestSpamIsDisconnectedWithPexAbuseAndBanned() {
        Network a = target(TestNet.config(Role.VALIDATOR));
        floodIsCutOffAndBanned(a, mallory -> {
            Envelope request = Envelope.newBuilder()
                    .setPeerExchangeRequest(PeerExchangeRequest.newBuilder().setMaxEntries(256))
                    .build();
            for (int i = 0; i < 200; i++) {
                mallory.send(request);
            }
        });
        assertThat(observer.abuse.get(0)).contains("requests per minute");
    }

    @Test
    void answerClaimingAMillionPeersIsDisconnectedWithPexAbuseAndBanned() {
        Network a = target(TestNet.config(Role.VALIDATOR));
        NodeIdentity someone = NodeIdentity.generate();
        SignedAddressRecord junk = record(someone, List.of(PeerAddress.parse("10.0.0.1:7000")), 1);
        floodIsCutOffAndBanned(a, mallory -> {
            // an answer of 20,000 records (about 3 MB, under the frame limit): far beyond the 256 A asks for
            PeerExchangeResponse.Builder huge = PeerExchangeResponse.newBuilder();
            for (int i = 0; i < 20_000; i++) {
                huge.addRecords(junk);
            }
            mallory.send(answer(huge.getRecordsList(), false));
        });
        assertThat(observer.abuse.get(0)).containsAnyOf("records", "bytes");
        assertThat(observer.rejectedRecords).as("nothing of it was verified").isEmpty();
    }

    @Test
    void unrequestedAnswersAreDisconnectedWithPexAbuseAndBanned() {
        Network a = target(TestNet.config(Role.VALIDATOR));
        NodeIdentity someone = net.identity(Role.VALIDATOR);
        SignedAddressRecord r = record(someone, List.of(closedPort()), 1);
        floodIsCutOffAndBanned(a, mallory -> {
            // its one request was answered already: these are answers nobody asked for
            mallory.send(answer(List.of(r, r), false));
        });
        assertThat(observer.abuse.get(0)).contains("without a request");
    }

    @Test
    void announcementFloodIsDisconnectedWithPexAbuseAndBanned() {
        Network a =
                target(TestNet.config(Role.VALIDATOR).pex(PexPolicy.defaults().withLinkLimits(30, 20, 256 * 1024)));
        NodeIdentity someone = net.identity(Role.VALIDATOR);
        SignedAddressRecord r = record(someone, List.of(closedPort()), 1);
        floodIsCutOffAndBanned(a, mallory -> {
            for (int i = 0; i < 100; i++) {
                mallory.send(answer(List.of(r), true));
            }
        });
        assertThat(observer.abuse.get(0)).contains("announcements per minute");
    }
}
