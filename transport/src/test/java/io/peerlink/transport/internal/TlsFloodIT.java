package io.peerlink.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerEvent;
import io.peerlink.core.Role;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.HeartbeatConfig;
import io.peerlink.core.config.Limits;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.transport.NetworkOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Floods of TLS ClientHellos against a TLS validator that holds links to honest validators, over loopback. The
 * attacker connects from 127.0.0.2, the honest nodes from 127.0.0.1: the per-address rate admits a bounded number
 * of the attacker's connections, the rest are closed before any TLS work, the honest links keep their heartbeats,
 * and an honest node that restarts during the flood is admitted at once.
 *
 * <p>The flood lasts {@code -Dpeerlink.flood.seconds} (default 3; the long run is 30).
 */
class TlsFloodIT {
    private static final Logger log = LoggerFactory.getLogger(TlsFloodIT.class);
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Duration FLOOD = Duration.ofSeconds(Long.getLong("peerlink.flood.seconds", 3));
    /** Hard bound on the attacker's connections, whatever the duration. */
    static final int MAX_ATTACKS = 200_000;

    static final HeartbeatConfig HEARTBEAT = new HeartbeatConfig(Duration.ofMillis(400), 5);
    static final String ATTACKER = "127.0.0.2";

    final TestNet net = new TestNet();
    final CountingObserver observer = new CountingObserver();
    final List<PeerEvent> targetEvents = new CopyOnWriteArrayList<>();
    final Map<NodeId, List<PeerEvent>> honestEvents = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        net.close();
    }

    Network target(Limits limits) {
        NodeConfig config = TestNet.config(Role.VALIDATOR)
                .transportSecurity(TransportSecurity.TLS)
                .heartbeat(HEARTBEAT)
                .limits(limits)
                .build();
        Network n = new Network(
                net.identity(Role.VALIDATOR),
                net.trust,
                config,
                NetworkOptions.defaults().withIoThreads(1),
                observer);
        net.nodes.add(n);
        n.start().block(WAIT);
        n.events().subscribe(targetEvents::add);
        return n;
    }

    Network honest(NodeIdentity id, Network target) {
        Network n = net.start(
                id,
                TestNet.config(Role.VALIDATOR)
                        .transportSecurity(TransportSecurity.TLS)
                        .heartbeat(HEARTBEAT)
                        .seeds(List.of(target.boundAddress()))
                        .build());
        List<PeerEvent> events = new CopyOnWriteArrayList<>();
        honestEvents.put(id.id(), events);
        n.events().subscribe(events::add);
        return n;
    }

    /** A TLS 1.3 ClientHello as a real client's first flight, to be sent again and again. */
    static byte[] clientHello() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        SSLEngine engine = ctx.createSSLEngine("peerlink", 443);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /**
     * Connects from {@link #ATTACKER}, sends the ClientHello and hangs up (reset), until stopped or bounded (the flood's
     * duration plus {@link #WAIT}, {@link #MAX_ATTACKS}).
     */
    static Thread attacker(
            InetSocketAddress target, byte[] hello, AtomicBoolean stop, AtomicInteger sent, AtomicInteger failed) {
        Thread t = new Thread(
                () -> {
                    long end = System.nanoTime() + FLOOD.plus(WAIT).toNanos();
                    while (!stop.get() && System.nanoTime() < end && sent.get() + failed.get() < MAX_ATTACKS) {
                        try (Socket s = new Socket()) {
                            s.setSoLinger(true, 0); // no TIME_WAIT on either side: the attacker's ports last the run
                            s.bind(new InetSocketAddress(ATTACKER, 0));
                            s.connect(target, 1000);
                            s.getOutputStream().write(hello);
                            sent.incrementAndGet();
                        } catch (IOException e) {
                            failed.incrementAndGet(); // the kernel refused or timed out: the node never saw it
                        }
                    }
                },
                "tls-flood");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void clientHelloFloodFromOneAddressIsMeteredWhileHonestLinksStayAndARestartedPeerIsAdmitted() throws Exception {
        Network target = target(Limits.defaults());
        List<NodeIdentity> ids = new ArrayList<>();
        List<Network> honest = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NodeIdentity id = net.identity(Role.VALIDATOR);
            ids.add(id);
            honest.add(honest(id, target));
        }
        await().atMost(WAIT).until(() -> TestNet.peerIds(target).size() == 3);
        List<PingCounter> pings = new ArrayList<>();
        for (NodeIdentity id : ids) {
            pings.add(PingCounter.install(target.channelTo(id.id())));
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        Thread flood = attacker(
                new InetSocketAddress("127.0.0.1", target.boundAddress().port()), clientHello(), stop, sent, failed);
        try {
            // the third honest node restarts in the middle of the flood and must be admitted again
            Thread.sleep(FLOOD.toMillis() / 3);
            NodeIdentity restarting = ids.get(2);
            honest.get(2).stop().block(WAIT);
            await().atMost(WAIT).until(() -> !TestNet.peerIds(target).contains(restarting.id()));
            long restartedAt = System.nanoTime();
            honest.set(2, honest(restarting, target));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> TestNet.peerIds(target).contains(restarting.id()));
            log.info(
                    "restarted peer admitted {} ms after its start, during the flood",
                    (System.nanoTime() - restartedAt) / 1_000_000);
            pings.set(2, PingCounter.install(target.channelTo(restarting.id())));
            int[] before = pings.stream().mapToInt(PingCounter::pings).toArray();
            // the flood lasts its duration, and at least three heartbeat intervals after the restarted peer is back
            // (on a busy machine the restart can take most of the flood), so every link must show pings under it
            long until = Math.max(
                    start + FLOOD.toNanos(),
                    System.nanoTime() + 3 * HEARTBEAT.interval().toNanos());
            Thread.sleep(Math.max(0, (until - System.nanoTime()) / 1_000_000));
            assertThat(flood.isAlive()).as("the flood still runs").isTrue();
            int[] after = pings.stream().mapToInt(PingCounter::pings).toArray();
            stop.set(true);
            flood.join(WAIT.toMillis());
            for (int i = 0; i < 3; i++) {
                assertThat(after[i])
                        .as("heartbeats of honest link %s during the flood", i)
                        .isGreaterThan(before[i]);
            }
        } finally {
            stop.set(true);
            flood.join(WAIT.toMillis());
        }
        int attempts = sent.get();

        // every attacker connection the node accepted was either refused at once or ended its handshake
        await().atMost(WAIT).until(() -> observer.refusals() + observer.handshakesFailed() >= attempts);
        int refusedByRate = observer.refusals("handshake_rate_per_ip");
        int admitted = attempts - observer.refusals();
        // the bucket refills until the node has accepted the last of them: on a busy machine it accepts what waited
        // in the listen backlog after the flood stopped, so the bound counts the time up to here
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info(
                "flood: {} ClientHellos in {} s ({} connects failed), {} refused by the per-address rate, {} admitted"
                        + " to TLS",
                attempts,
                String.format("%.1f", seconds),
                failed.get(),
                refusedByRate,
                admitted);
        assertThat(refusedByRate).as("the rate refused the excess").isPositive();
        assertThat(admitted)
                .as(
                        "admitted by a bucket of %s and %s/s",
                        Defaults.HANDSHAKE_BURST_PER_IP, Defaults.HANDSHAKES_PER_SECOND_PER_IP)
                .isLessThanOrEqualTo(Defaults.HANDSHAKE_BURST_PER_IP
                        + (int) Math.ceil(Defaults.HANDSHAKES_PER_SECOND_PER_IP * (seconds + 1)));

        // the two links that were up all along never dropped; the restarted one came back
        for (int i = 0; i < 2; i++) {
            assertThat(honestEvents.get(ids.get(i).id()))
                    .noneMatch(e -> e instanceof PeerEvent.Lost l
                                    && l.connection().peer().equals(target.id())
                            || e instanceof PeerEvent.Disconnected d
                                    && d.connection().peer().equals(target.id()));
        }
        assertThat(targetEvents).noneMatch(e -> e instanceof PeerEvent.Lost);
        assertThat(TestNet.peerIds(target))
                .containsExactlyInAnyOrderElementsOf(
                        ids.stream().map(NodeIdentity::id).toList());
    }

    @Test
    void connectionBeyondThePendingCapIsClosedBeforeTheTlsEngineAnswers() throws Exception {
        int slots = 4;
        Network target =
                target(Limits.defaults().withMaxPendingHandshakes(slots).withPerIp(64, 64));
        InetSocketAddress address =
                new InetSocketAddress("127.0.0.1", target.boundAddress().port());
        byte[] hello = clientHello();
        List<Socket> holding = new ArrayList<>();
        try {
            for (int i = 0; i < slots; i++) { // silent connections hold every pending slot
                Socket s = new Socket();
                holding.add(s);
                s.connect(address, 1000);
            }
            await().atMost(WAIT).until(() -> target.openChannelCount() >= slots);

            try (Socket s = new Socket()) {
                s.connect(address, 1000);
                s.getOutputStream().write(hello);
                s.setSoTimeout((int) WAIT.toMillis());
                byte[] answer = readAll(s.getInputStream());
                assertThat(answer)
                        .as(
                                "bytes the node answered the ClientHello with (ServerHello: %s)",
                                Arrays.toString(Arrays.copyOf(answer, Math.min(8, answer.length))))
                        .isEmpty();
            }
            assertThat(observer.refusals("max_pending_handshakes")).isEqualTo(1);

            // a slot frees: the same ClientHello gets a ServerHello (a TLS handshake record, type 0x16)
            holding.remove(0).close();
            await().atMost(WAIT).until(() -> target.openChannelCount() < slots);
            try (Socket s = new Socket()) {
                s.connect(address, 1000);
                s.getOutputStream().write(hello);
                s.setSoTimeout((int) WAIT.toMillis());
                assertThat(s.getInputStream().read()).isEqualTo(0x16);
            }
        } finally {
            for (Socket s : holding) {
                s.close();
            }
        }
    }

    /** Everything until EOF or reset (bounded by the socket timeout and 64 KiB). */
    private static byte[] readAll(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        int n = 0;
        try {
            for (int r; n < buf.length && (r = in.read(buf, n, buf.length - n)) > 0; ) {
                n += r;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the node neither answered nor closed", e);
        } catch (java.net.SocketException reset) {
            // closed by the node
        }
        return Arrays.copyOf(buf, n);
    }
}
