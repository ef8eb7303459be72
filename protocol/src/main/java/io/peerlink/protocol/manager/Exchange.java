package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.trust.TrustRegistry;
import io.peerlink.protocol.handshake.BanList;
import io.peerlink.protocol.pex.AddressRecords;
import io.peerlink.protocol.pex.PeerExchange;
import io.peerlink.protocol.pex.PexGuard;
import io.peerlink.protocol.pex.RecordBook;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Peer exchange: a request every {@code pexInterval} and to each newly linked validator, the answer (every
 * registered peer, with the validators' signed records), newcomers announced to the validators that are to dial
 * them, learned validators handed to the mesh; a peer over its {@link PexGuard} limits is banned. A gateway or
 * observer with attachments asks its validators too, and learns the validators it may fail over to.
 */
final class Exchange {
    private final ManagerSettings settings;
    private final NodeConfig config;
    private final NodeId self;
    private final TrustRegistry trust;
    private final BanList bans;
    private final Cooldowns cooldowns;
    private final RecordBook book;
    private final LinkTable links;
    private final MeshUpkeep mesh;
    private final Attachments attachments;
    private final Outbox out;
    /** Whether this node asks for peer exchange: a validator, or a gateway or observer with attachments. */
    private final boolean exchanges;

    private @Nullable List<PeerExchange.Known> knownCache;
    private long knownVersion = -1;

    Exchange(
            ManagerSettings settings,
            TrustRegistry trust,
            BanList bans,
            Cooldowns cooldowns,
            RecordBook book,
            LinkTable links,
            MeshUpkeep mesh,
            Attachments attachments,
            Outbox out) {
        this.settings = settings;
        this.config = settings.config();
        this.self = settings.self();
        this.trust = trust;
        this.bans = bans;
        this.cooldowns = cooldowns;
        this.book = book;
        this.links = links;
        this.mesh = mesh;
        this.attachments = attachments;
        this.out = out;
        this.exchanges = config.role().isValidator() || attachments.active();
    }

    private PexGuard guard(LinkEntry link) {
        PexGuard g = link.guard;
        if (g == null) {
            g = new PexGuard(config.pex(), config.limits().pexMaxEntries(), out::now);
            link.guard = g;
        }
        return g;
    }

    /** On a tick: every {@code pexEveryTicks} ticks, ask every linked validator. */
    void onTick(long ticks) {
        if (exchanges && ticks % settings.pexEveryTicks() == 0) {
            for (LinkEntry l : links.registered()) {
                if (requireNonNull(l.role).isValidator()) {
                    guard(l).requested();
                    out.emit(new ManagerAction.SendPexRequest(l.id));
                }
            }
        }
    }

    void onValidatorLinked(LinkEntry link) {
        if (!exchanges) {
            return;
        }
        guard(link).requested();
        out.emit(new ManagerAction.SendPexRequest(link.id));
        if (!config.role().isValidator()) {
            return; // a gateway or observer: it learns the validators this one knows, to fail over to
        }
        NodeId peer = requireNonNull(link.peer);
        AddressRecords.Verified record = book.record(peer);
        if (link.listen == null || record == null) {
            return;
        }
        // announce the newcomer to the validators that are to dial it; the others hear of it from its own requests
        List<PeerExchange.Known> announce =
                List.of(new PeerExchange.Known(peer, requireNonNull(link.role), record.signed(), true));
        for (LinkEntry other : links.registered()) {
            if (other != link
                    && requireNonNull(other.role).isValidator()
                    && PeerExchange.dialsFirst(requireNonNull(other.peer), peer)
                    && guard(other).tryAnnounce()) {
                out.emit(new ManagerAction.SendPexAnswer(other.id, other.peer, announce, true));
            }
        }
    }

    void onRequest(long linkId) {
        LinkEntry link = links.get(linkId);
        // validators answer every trusted peer linked to them: gateways and observers learn where to fail over
        if (!config.role().isValidator() || link == null || !links.isRegistered(link)) {
            return;
        }
        String over = guard(link).onRequest();
        if (over != null) {
            abuse(link, over);
            return;
        }
        out.emit(new ManagerAction.SendPexAnswer(link.id, requireNonNull(link.peer), known(), false));
    }

    /** Every registered peer as a peer-exchange candidate, in id order; cached until the table changes. */
    private List<PeerExchange.Known> known() {
        List<PeerExchange.Known> k = knownCache;
        if (k == null || knownVersion != links.version()) {
            List<PeerExchange.Known> list = new ArrayList<>(links.linkCount());
            for (LinkEntry l : links.registered()) {
                Role role = requireNonNull(l.role);
                AddressRecords.Verified r = role.isValidator() ? book.record(requireNonNull(l.peer)) : null;
                list.add(new PeerExchange.Known(requireNonNull(l.peer), role, r == null ? null : r.signed(), true));
            }
            k = Collections.unmodifiableList(list);
            knownCache = k;
            knownVersion = links.version();
        }
        return k;
    }

    void onAnswer(ManagerEvent.PexAnswered p) {
        LinkEntry link = links.get(p.linkId());
        if (!exchanges || link == null || !links.isRegistered(link)) {
            return;
        }
        if (!requireNonNull(link.role).isValidator()) {
            return;
        }
        String over = guard(link).onAnswer(p.count(), p.bytes(), p.announcement());
        if (over != null) {
            abuse(link, over);
            return;
        }
        if (!config.role().isValidator()) {
            learnValidators(p.records());
            return;
        }
        long now = out.now();
        int n = Math.min(p.records().size(), config.limits().pexMaxEntries());
        for (int i = 0; i < n; i++) {
            AddressRecords.Verified r = p.records().get(i);
            NodeId id = r.id();
            if (book.holds(id, r.signed())) {
                continue; // the common case: the very record held (cheap: no copy, no verification)
            }
            if (id.equals(self)
                    || !trust.roleOf(id).map(Role::isValidator).orElse(false)
                    || book.offer(r) != RecordBook.Offer.NEWER
                    || links.isLinked(id)) {
                continue;
            }
            if (!PeerExchange.dialsFirst(self, id)) {
                // the peer is told about us too and dials; take over only if it has not by then
                for (PeerAddress a : book.targets(id)) {
                    if (!book.wasLinkedAt(id, a)) {
                        cooldowns.defer(a, settings.deferralNanos(), now);
                    }
                }
            }
            mesh.dialNext(id);
        }
    }

    /** A gateway or observer keeps the newer records of trusted validators, then attaches if it is short. */
    private void learnValidators(List<AddressRecords.Verified> records) {
        int n = Math.min(records.size(), config.limits().pexMaxEntries());
        for (int i = 0; i < n; i++) {
            AddressRecords.Verified r = records.get(i);
            if (!book.holds(r.id(), r.signed())
                    && trust.roleOf(r.id()).map(Role::isValidator).orElse(false)) {
                book.offer(r);
            }
        }
        attachments.attach();
    }

    private void abuse(LinkEntry link, String detail) {
        bans.ban(requireNonNull(link.peer));
        links.closeRegistered(link, DisconnectReason.PEX_ABUSE, detail);
    }
}
