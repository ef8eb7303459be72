package io.peerlink.sim;

import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.proto.v1.Envelope;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.Handshake;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.Step;
import io.peerlink.protocol.manager.ConnectionManager;
import io.peerlink.protocol.manager.ManagerAction;
import io.peerlink.protocol.manager.ManagerEvent;
import io.peerlink.protocol.manager.ManagerSettings;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.PeerExchange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A deterministic simulation of a peerlink network: every node runs the production {@link ConnectionManager} and
 * {@link Handshake} (with {@link TestCrypto}), one thread, virtual time in nanoseconds, one seeded generator; a
 * simulated TCP (per-pair latency, FIFO per direction, loss as a retransmission delay, partitions and one-way
 * partitions that drop packets, a FIN when a process dies: {@link Network}) and heartbeats modelled as a timed check;
 * faults come from the {@link FaultInjector}. This class is the run loop: the event queue, the nodes and their
 * managers and handshakes. The
 * {@link Invariants} run after every step. Same options, same trace hash.
 *
 * <pre>{@code
 * SimResult r = new Simulation(SimOptions.builder().validators(100).nodes(1000).seed(7).build()).run();
 * System.out.println(r.summary());
 * }</pre>
 */
public final class Simulation {
    static final long MS = 1_000_000L;

    static final int EV_START = 1;
    static final int EV_TIMER = 2;
    static final int EV_CONNECT = 3;
    static final int EV_MSG = 4;
    static final int EV_HS_TIMEOUT = 5;
    static final int EV_HB_CHECK = 6;
    static final int EV_FAULT_START = 7;
    static final int EV_FAULT_END = 8;
    static final int EV_TRUST = 9;
    static final int EV_SWEEP = 10;
    static final int EV_SAMPLE = 11;
    static final int EV_RESTART = 12;
    static final int EV_FLAP = 13;

    static final int MSG_ENVELOPE = 1;
    static final int MSG_PEX_REQ = 2;
    static final int MSG_PEX_ANS = 3;
    static final int MSG_DISCONNECT = 4;
    static final int MSG_FIN = 5;

    final SimOptions options;
    final NodeConfig config;
    final SplittableRandom random;
    final SimNode[] nodes;
    final Map<PeerAddress, Integer> addresses = new HashMap<>();
    final Map<NodeId, SimNode> byId = new HashMap<>();
    final Invariants invariants;
    final List<Fault> schedule;
    final List<SimResult.Sample> samples = new ArrayList<>();

    private static final Object NONE = new Object();

    private final PriorityQueue<Ev> queue = new PriorityQueue<>();
    private final HandshakeSettings handshakeSettings = HandshakeSettings.defaults();
    final Network network;
    final FaultInjector faults;

    long now;
    private long seq;
    private long nextSocket = 1;
    final TraceHash trace = new TraceHash();
    long events;
    long dials;
    long handshakes;
    private int dialsThisSecond;
    private @Nullable Consumer<String> progress;
    private int watchNode = -1;
    private @Nullable Consumer<String> watchSink;
    private long progressEveryMillis = 60_000;

    public Simulation(SimOptions options) {
        this.options = options;
        this.config = options.config();
        this.random = new SplittableRandom(options.seed());
        this.network = new Network(this, random.nextLong(), options.nodes());
        this.nodes = new SimNode[options.nodes()];
        Map<NodeId, Role> t = new HashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            Role role = i < options.validators() ? Role.VALIDATOR : (i % 2 == 0 ? Role.OBSERVER : Role.GATEWAY);
            SimNode n = new SimNode(i, role, random.split(), config);
            nodes[i] = n;
            byId.put(n.id, n);
            t.put(n.id, role);
            if (n.address != null) {
                addresses.put(n.address, i);
                addresses.put(n.alias(), i);
            }
        }
        Map<NodeId, Role> trust = Map.copyOf(t);
        this.faults = new FaultInjector(this, network, trust);
        for (SimNode n : nodes) {
            n.config = nodeConfig(n);
            n.trustView = trust;
        }
        this.schedule = options.schedule() != null ? options.schedule() : FaultPlan.random(options, random.split());
        this.invariants = new Invariants(this);
    }

    /** Every event fed to node {@code node}'s manager and every action it returned go to {@code sink}. */
    public Simulation watch(int node, Consumer<String> sink) {
        this.watchNode = node;
        this.watchSink = sink;
        return this;
    }

    /** Progress lines (one per {@code everyMillis} of virtual time) go to {@code sink}. */
    public Simulation progress(Consumer<String> sink, long everyMillis) {
        this.progress = sink;
        this.progressEveryMillis = Math.max(1000, everyMillis);
        return this;
    }

    private NodeConfig nodeConfig(SimNode n) {
        List<PeerAddress> seeds = new ArrayList<>();
        int want = Math.min(options.seedsPerNode(), options.validators() - (n.role.isValidator() ? 1 : 0));
        while (seeds.size() < want) {
            SimNode s = nodes[n.random.nextInt(options.validators())];
            PeerAddress a = n.random.nextInt(4) == 0 ? s.alias() : s.address;
            if (s != n && !seeds.contains(s.address) && !seeds.contains(s.alias())) {
                seeds.add(a);
            }
        }
        return config.toBuilder()
                .role(n.role)
                .listen(n.address)
                .advertise(n.address)
                .seeds(seeds)
                .build();
    }

    /** Runs to the end, or to the first violation. */
    public SimResult run() {
        long wallStart = System.nanoTime();
        for (SimNode n : nodes) {
            at(n.random.nextLong(1000) * MS, EV_START, n.index, 0, 0, null);
        }
        for (Fault f : schedule) {
            at(f.atMillis() * MS, EV_FAULT_START, -1, 0, 0, f);
        }
        at(1000 * MS, EV_SWEEP, -1, 0, 0, null);
        at(1000 * MS, EV_SAMPLE, -1, 0, 0, null);
        long end = options.duration().toMillis() * MS;
        long nextProgress = progressEveryMillis * MS;
        while (!queue.isEmpty() && invariants.violation() == null) {
            Ev e = queue.poll();
            if (e.t > end) {
                break;
            }
            now = e.t;
            events++;
            dispatch(e);
            if (progress != null && now >= nextProgress) {
                progress.accept(progressLine(wallStart));
                nextProgress += progressEveryMillis * MS;
            }
        }
        if (invariants.violation() == null) {
            now = Math.max(now, end);
            invariants.finalCheck();
        }
        long wall = (System.nanoTime() - wallStart) / MS;
        SimResult.Violation v = invariants.violation();
        return new SimResult(
                options,
                trace.value(),
                v != null ? v.atMillis() : end / MS,
                wall,
                events,
                invariants.checks(),
                dials,
                handshakes,
                v,
                schedule,
                List.copyOf(samples));
    }

    private String progressLine(long wallStart) {
        long wall = Math.max(1, (System.nanoTime() - wallStart) / MS);
        SimResult.Sample s = samples.isEmpty() ? null : samples.get(samples.size() - 1);
        return String.format(
                java.util.Locale.ROOT,
                "t=%ds mesh=%.3f links=%d faults=%d events=%d speed=%.1fx",
                now / 1_000_000_000L,
                s == null ? 0.0 : s.mesh(),
                s == null ? 0 : s.links(),
                network.active.size(),
                events,
                (double) (now / MS) / wall);
    }

    // ---------------------------------------------------------------- event queue

    private static final class Ev implements Comparable<Ev> {
        final long t;
        final long seq;
        final int kind;
        final int node;
        final int incarnation;
        final long a;
        final Object o;

        Ev(long t, long seq, int kind, int node, int incarnation, long a, Object o) {
            this.t = t;
            this.seq = seq;
            this.kind = kind;
            this.node = node;
            this.incarnation = incarnation;
            this.a = a;
            this.o = o;
        }

        @Override
        public int compareTo(Ev other) {
            int c = Long.compare(t, other.t);
            return c != 0 ? c : Long.compare(seq, other.seq);
        }
    }

    void at(long t, int kind, int node, int incarnation, long a, @Nullable Object o) {
        queue.add(new Ev(Math.max(t, now), seq++, kind, node, incarnation, a, o == null ? NONE : o));
    }

    private void dispatch(Ev e) {
        switch (e.kind) {
            case EV_START -> startNode(nodes[e.node]);
            case EV_TIMER -> {
                SimNode n = nodes[e.node];
                if (n.alive && n.incarnation == e.incarnation) {
                    feed(n, new ManagerEvent.TimerFired((io.peerlink.protocol.manager.Timer) e.o));
                }
            }
            case EV_CONNECT -> connected(nodes[e.node], e.incarnation, (ManagerAction.Dial) e.o);
            case EV_MSG -> receive((Network.Msg) e.o);
            case EV_HS_TIMEOUT -> {
                Sock s = (Sock) e.o;
                int end = (int) e.a;
                Handshake h = s.handshake[end];
                if (s.open[end] && h != null && !s.auth[end]) {
                    handleStep(s, end, h.onTimeout());
                }
            }
            case EV_HB_CHECK -> network.heartbeatCheck((Sock) e.o, (int) e.a);
            case EV_FAULT_START -> faults.faultStart((Fault) e.o);
            case EV_FAULT_END -> faults.faultEnd((Fault) e.o);
            case EV_TRUST -> faults.applyTrust(nodes[e.node], e.a, (FaultInjector.TrustEdit) e.o);
            case EV_SWEEP -> {
                invariants.sweep();
                at(now + 1000 * MS, EV_SWEEP, -1, 0, 0, null);
            }
            case EV_SAMPLE -> {
                samples.add(invariants.sample(dialsThisSecond, network.active.size()));
                dialsThisSecond = 0;
                at(now + 1000 * MS, EV_SAMPLE, -1, 0, 0, null);
            }
            case EV_RESTART -> {
                SimNode n = nodes[e.node];
                if (!n.alive) {
                    startNode(n);
                }
            }
            case EV_FLAP -> faults.flap(nodes[e.node], (int) e.a, (Fault) e.o);
            default -> throw new IllegalStateException("event kind " + e.kind);
        }
    }

    // ---------------------------------------------------------------- nodes and managers

    void startNode(SimNode n) {
        if (n.alive) {
            return;
        }
        n.alive = true;
        n.incarnation++;
        n.boot(now);
        n.bootedAt = now;
        n.trustView = faults.trust();
        n.trustVersionSeen = faults.trustVersion();
        n.trustRegistry.table = faults.trust();
        ManagerSettings s = new ManagerSettings(
                n.id, n.address, n.config, Instant.EPOCH, n.role.isValidator() ? 0 : options.attachTo());
        n.manager = new ConnectionManager(s, n.trustRegistry, n.random.split(), options.rules());
        n.admission = new Admission(n.trustRegistry, n.role, n.manager.bans());
        feed(n, new ManagerEvent.Start());
    }

    /**
     * Stops {@code n}. With {@code fin} its kernel lives on and closes its sockets (a process crash: the peers see a
     * FIN); without, the host is gone (kill -9 of the machine, power loss): its peers' ends stay half-dead until their
     * heartbeats miss, or until its next boot's link takes over.
     */
    void kill(SimNode n, boolean fin) {
        if (!n.alive) {
            return;
        }
        n.alive = false;
        n.killedAt = now;
        for (Sock s : new ArrayList<>(n.sockets.values())) {
            network.closeEnd(s, s.endOf(n), fin);
        }
        n.sockets.clear();
        n.manager = null;
    }

    void feed(SimNode n, ManagerEvent event) {
        ConnectionManager m = n.manager;
        if (m == null) {
            return;
        }
        trace.event(now, n.index, event);
        List<ManagerAction> actions = m.handle(event, now);
        Consumer<String> w = watchSink;
        if (w != null && n.index == watchNode) {
            w.accept(String.format(java.util.Locale.ROOT, "%10.3f %s <- %s", now / 1e9, n, event));
            for (ManagerAction a : actions) {
                w.accept(String.format(java.util.Locale.ROOT, "%10.3f %s -> %s", now / 1e9, n, a));
            }
        }
        for (ManagerAction a : actions) {
            trace.action(a);
            apply(n, a);
        }
        invariants.afterStep(n, event, actions);
    }

    private void apply(SimNode n, ManagerAction action) {
        if (action instanceof ManagerAction.Dial d) {
            dial(n, d);
        } else if (action instanceof ManagerAction.Close c) {
            Sock s = n.sockets.get(c.linkId());
            if (s == null) {
                return;
            }
            int end = s.endOf(n);
            if (!s.open[end]) {
                return;
            }
            if (c.reason() == DisconnectReason.DUPLICATE) {
                invariants.onDuplicateClosed(n, s);
            }
            if (s.auth[end]) {
                network.send(s, end, MSG_DISCONNECT, c);
            } else {
                network.send(s, end, MSG_ENVELOPE, io.peerlink.protocol.wire.Wire.disconnect(c.reason(), c.detail()));
            }
            network.closeEnd(s, end, true);
        } else if (action instanceof ManagerAction.SendPexRequest p) {
            Sock s = n.sockets.get(p.linkId());
            if (s != null) {
                network.send(s, s.endOf(n), MSG_PEX_REQ, null);
            }
        } else if (action instanceof ManagerAction.SendPexAnswer p) {
            Sock s = n.sockets.get(p.linkId());
            if (s != null) {
                network.send(s, s.endOf(n), MSG_PEX_ANS, answer(n, p));
            }
        } else if (action instanceof ManagerAction.Schedule sc) {
            at(sc.atNanos(), EV_TIMER, n.index, n.incarnation, 0, sc.timer());
        }
        // Publish: subscribers are not simulated; the trace hash holds the event
    }

    /** The records an answer carries: as {@link PeerExchange#answer} picks them, verified once per node. */
    private PexMessage answer(SimNode from, ManagerAction.SendPexAnswer p) {
        if (!p.announcement() && p.known() == from.lastKnown && from.lastAnswer != null) {
            return from.lastAnswer; // the manager's list is the same object until its links change
        }
        PexMessage m = buildAnswer(p);
        if (!p.announcement()) {
            from.lastKnown = p.known();
            from.lastAnswer = m;
        }
        return m;
    }

    /**
     * As {@link PeerExchange#answer} picks records; the requester's own record stays in (its manager skips its own
     * id, as it skips any record about itself), so one answer serves every requester until the links change.
     */
    private PexMessage buildAnswer(ManagerAction.SendPexAnswer p) {
        int max = config.limits().pexMaxEntries();
        List<AddressRecords.Verified> records =
                new ArrayList<>(Math.min(max, p.known().size()));
        for (PeerExchange.Known k : p.known()) {
            if (records.size() >= max) {
                break;
            }
            if (!k.authenticated() || !k.role().isValidator() || k.record() == null) {
                continue;
            }
            SimNode about = byId.get(k.id());
            if (about != null && about.verified != null && about.verified.signed() == k.record()) {
                records.add(about.verified);
            }
        }
        return new PexMessage(records, p.announcement());
    }

    record PexMessage(List<AddressRecords.Verified> records, boolean announcement) {}

    // ---------------------------------------------------------------- simulated TCP

    private void dial(SimNode n, ManagerAction.Dial d) {
        dials++;
        dialsThisSecond++;
        invariants.onDial(n, d);
        Integer target = addresses.get(d.address());
        long connect = config.timeouts().connect().toNanos();
        if (target == null) {
            at(now + connect, EV_CONNECT, n.index, n.incarnation, -1, d);
            return;
        }
        SimNode t = nodes[target];
        if (network.blocked(n.index, t.index) || network.blocked(t.index, n.index)) {
            at(now + connect, EV_CONNECT, n.index, n.incarnation, -1, d);
        } else {
            // SYN, SYN-ACK: a refused connect (nobody listening) also takes a round trip
            at(now + 2 * network.latency(n.index, t.index), EV_CONNECT, n.index, n.incarnation, target, d);
        }
    }

    private void connected(SimNode n, int incarnation, ManagerAction.Dial d) {
        if (!n.alive || n.incarnation != incarnation) {
            return;
        }
        Integer target = addresses.get(d.address());
        SimNode t = target == null ? null : nodes[target];
        if (t == null || !t.alive || network.blocked(n.index, t.index) || network.blocked(t.index, n.index)) {
            feed(n, new ManagerEvent.ConnectFailed(d.dialId(), t == null || !t.alive ? "refused" : "timed out"));
            return;
        }
        Sock s = new Sock(nextSocket++, n, t, d.expected());
        n.sockets.put(s.id, s);
        t.sockets.put(s.id, s);
        invariants.onSocket(n, s);
        PeerAddress remote = new PeerAddress(n.host(), 40_000 + (int) (s.id % 20_000));
        feed(t, new ManagerEvent.Connected(s.id, ManagerEvent.Connected.NO_DIAL, Direction.INBOUND, remote));
        feed(n, new ManagerEvent.Connected(s.id, d.dialId(), Direction.OUTBOUND, d.address()));
        long deadline = now + config.timeouts().handshake().toNanos();
        for (int end = 0; end < 2; end++) {
            SimNode at = s.node(end);
            if (!s.open[end] || at.manager == null) {
                continue;
            }
            s.handshake[end] = new Handshake(
                    at.local,
                    end == 0 ? Direction.OUTBOUND : Direction.INBOUND,
                    java.util.Objects.requireNonNull(at.admission),
                    TestCrypto.VERIFIER,
                    handshakeSettings,
                    at.secureRandom,
                    end == 0 ? d.expected() : null);
            at(deadline, EV_HS_TIMEOUT, -1, 0, end, s);
        }
        handshakes++;
        for (int end = 0; end < 2; end++) {
            Handshake h = s.handshake[end];
            if (h != null && s.open[end]) {
                handleStep(s, end, h.start());
            }
        }
    }

    private void receive(Network.Msg m) {
        Sock s = m.sock();
        int end = m.toEnd();
        if (!s.open[end]) {
            return;
        }
        SimNode n = s.node(end);
        switch (m.type()) {
            case MSG_FIN -> {
                boolean auth = s.auth[end];
                network.closeEnd(s, end, false);
                feed(
                        n,
                        new ManagerEvent.LinkLost(
                                s.id,
                                DisconnectReason.CONNECTION_CLOSED,
                                auth ? "socket closed without a goodbye" : "closed during the handshake",
                                false));
            }
            case MSG_DISCONNECT -> {
                ManagerAction.Close c = (ManagerAction.Close) java.util.Objects.requireNonNull(m.body());
                network.closeEnd(s, end, false);
                feed(n, new ManagerEvent.LinkLost(s.id, c.reason(), c.detail(), true));
            }
            case MSG_ENVELOPE -> {
                Handshake h = s.handshake[end];
                if (h != null && !s.auth[end]) {
                    handleStep(s, end, h.onMessage((Envelope) java.util.Objects.requireNonNull(m.body())));
                }
            }
            case MSG_PEX_REQ -> {
                if (s.auth[end]) {
                    feed(n, new ManagerEvent.PexRequested(s.id));
                }
            }
            case MSG_PEX_ANS -> {
                PexMessage p = (PexMessage) java.util.Objects.requireNonNull(m.body());
                if (s.auth[end]) {
                    feed(
                            n,
                            new ManagerEvent.PexAnswered(
                                    s.id,
                                    p.records(),
                                    p.records().size(),
                                    16 + 160 * p.records().size(),
                                    p.announcement()));
                }
            }
            default -> throw new IllegalStateException("message type " + m.type());
        }
    }

    private void handleStep(Sock s, int end, Step step) {
        SimNode n = s.node(end);
        if (step instanceof Step.Send send) {
            for (Envelope e : send.messages()) {
                network.send(s, end, MSG_ENVELOPE, e);
            }
        } else if (step instanceof Step.Accept a) {
            for (Envelope e : a.messages()) {
                network.send(s, end, MSG_ENVELOPE, e);
            }
            s.auth[end] = true;
            s.peer[end] = a.peer().id();
            feed(n, new ManagerEvent.HandshakeAccepted(s.id, a.peer()));
        } else if (step instanceof Step.Reject r) {
            if (!r.byPeer()) {
                network.send(s, end, MSG_ENVELOPE, r.notice());
            }
            network.closeEnd(s, end, true);
            feed(n, new ManagerEvent.HandshakeRejected(s.id, r.reason(), r.detail(), r.byPeer(), r.peer()));
        }
    }

    // ---------------------------------------------------------------- faults

    int queueSize() {
        return queue.size();
    }

    // ---------------------------------------------------------------- model types

}
