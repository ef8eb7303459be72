package io.peerlink.transport.internal;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.Defaults;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.config.TransportSecurity;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.dedup.ConnectionTable;
import io.peerlink.protocol.handshake.Admission;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.handshake.HandshakeSettings;
import io.peerlink.protocol.handshake.LocalPeer;
import io.peerlink.transport.NetworkOptions;
import io.peerlink.transport.NetworkResources;
import io.peerlink.transport.TransportObserver;
import io.peerlink.transport.internal.link.PeerLink;
import io.peerlink.transport.internal.tls.TlsContexts;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * The collaborators of one {@link Network}, built here in dependency order, each final and complete when built: no
 * setter wiring, no callback installed afterwards. The order, and why it has no cycle:
 *
 * <pre>
 *  bans, admission, bus, inbound queue, connection table, address book, limits, errors
 *  LinkRegistry      (table, bus, limits, book, errors)
 *  MeshFeed          links -> mesh signals; built before both sides
 *  PexDefences, PeerExchanges   (table, book, feed)
 *  LinkStage         (registry, inbound queue, peer exchanges, feed)
 *  ChannelSetup      (link stage, limits, TLS): the channel initializers, each making a PeerLink
 *  Dialer            (channel setup, table, book, bus, errors)
 *  MeshMaintainer    (dialer, peer exchanges; subscribes to the feed)
 *  Explainer         (reads all of the above)
 * </pre>
 *
 * <pre>{@code
 * Assembly parts = new Assembly(identity, trust, config, options, observer, resources, local, bound);
 * parts.dialer().dial(address, null).subscribe();
 * }</pre>
 */
final class Assembly {
    private final BanList bans;
    private final Admission admission;
    private final PeerEventBus bus;
    private final InboundQueue inbound;
    private final ConnectionTable<PeerLink> table;
    private final LinkRegistry registry;
    private final @Nullable TlsContexts tls;
    private final HandshakeSettings settings;
    private final ChannelSetup setup;
    private final Dialer dialer;
    private final MeshMaintainer mesh;
    private final Explainer explainer;

    Assembly(
            NodeIdentity identity,
            TrustRegistry trust,
            NodeConfig config,
            NetworkOptions options,
            TransportObserver observer,
            NetworkResources resources,
            Supplier<LocalPeer> local,
            Supplier<@Nullable PeerAddress> bound) {
        // every collaborator reads these, none the system's clocks: the event loops' ticker and the wall clock
        Clocks clocks = Clocks.of(resources.group().next().ticker()::nanoTime, resources.clock());
        this.bans = new BanList(config.pex().banDuration(), clocks.nanos());
        config.banned().forEach(bans::banForever);
        this.admission = new Admission(trust, config.role(), bans);
        // subscribers run on their own bounded-elastic workers: one that blocks never delays a dial or a handshake
        this.bus = new PeerEventBus(options.eventBufferSize(), Schedulers.boundedElastic());
        this.inbound = new InboundQueue(options.inboundBufferSize());
        this.table = new ConnectionTable<>(identity.id());
        AddressBook book =
                new AddressBook(config.dial().redialInterval(), config.pex().notPeerlinkCooldown(), clocks.nanos());
        ConnectionLimits limits = new ConnectionLimits(config.limits());
        // where validators are known to be, connections may use the handshake slots kept for validators
        config.seeds().forEach(seed -> limits.noteValidatorHost(seed.host()));
        book.onAddress(a -> limits.noteValidatorHost(a.host()));
        PeerErrors errors = new PeerErrors(clocks);
        this.registry = new LinkRegistry(config, table, bus, limits, book, errors, observer, clocks);
        this.tls = config.transportSecurity() == TransportSecurity.TLS
                ? TlsContexts.create(identity, new RegistryCheck(admission), options.tlsProvider())
                : null;
        this.settings =
                new HandshakeSettings(Defaults.PROTOCOL_VERSION, config.limits().challengeBytes());
        // links report to the mesh through the feed, so the link side is built first and needs no mesh
        MeshFeed feed = new MeshFeed();
        PexDefences defences = new PexDefences(config, bans, observer, resources.crypto());
        PeerExchanges exchanges =
                new PeerExchanges(identity.id(), config, table, book, admission, defences, feed, options.attachTo());
        LinkStage stage = new LinkStage(config, tls != null, registry, inbound, exchanges, feed);
        this.setup =
                new ChannelSetup(config, admission, settings, local, resources.crypto(), stage, limits, observer, tls);
        this.dialer = new Dialer(
                resources.group(),
                resources.transports(),
                setup,
                config,
                table,
                book,
                bus,
                observer,
                resources.timers(),
                bound,
                identity.id(),
                id -> trust.roleOf(id).orElse(null),
                errors);
        this.mesh = new MeshMaintainer(
                identity.id(),
                config,
                table,
                book,
                dialer,
                exchanges,
                feed,
                errors,
                resources.timers(),
                bans,
                observer,
                options.attachTo(),
                clocks);
        this.explainer = new Explainer(config, trust, bans, table, book, dialer, mesh, errors, clocks);
    }

    BanList bans() {
        return bans;
    }

    Admission admission() {
        return admission;
    }

    PeerEventBus bus() {
        return bus;
    }

    InboundQueue inbound() {
        return inbound;
    }

    ConnectionTable<PeerLink> table() {
        return table;
    }

    LinkRegistry registry() {
        return registry;
    }

    @Nullable
    TlsContexts tls() {
        return tls;
    }

    HandshakeSettings settings() {
        return settings;
    }

    ChannelSetup setup() {
        return setup;
    }

    Dialer dialer() {
        return dialer;
    }

    MeshMaintainer mesh() {
        return mesh;
    }

    Explainer explainer() {
        return explainer;
    }
}
