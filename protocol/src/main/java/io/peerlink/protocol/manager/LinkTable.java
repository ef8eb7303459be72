package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.Connection;
import io.peerlink.core.Direction;
import io.peerlink.core.DisconnectReason;
import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.PeerEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every link the shell reported (by link id) and the registered, surviving link per peer, with the counts the
 * limits apply to. Registering and unregistering bumps {@link #version()}, so derived lists can be cached.
 */
final class LinkTable {
    private final Outbox out;
    private final Instant epoch;

    /** Every link the shell reported, authenticated or not, by link id. */
    private final TreeMap<Long, LinkEntry> links = new TreeMap<>();
    /** The registered (authenticated, surviving) link per peer. */
    private final TreeMap<NodeId, LinkEntry> table = new TreeMap<>();

    private int inbound;
    private int outbound;
    private int pendingInbound;
    private long version;

    LinkTable(Outbox out, Instant epoch) {
        this.out = out;
        this.epoch = epoch;
    }

    void put(LinkEntry link) {
        links.put(link.id, link);
    }

    @Nullable
    LinkEntry get(long linkId) {
        return links.get(linkId);
    }

    @Nullable
    LinkEntry remove(long linkId) {
        return links.remove(linkId);
    }

    /** The registered link of {@code peer}, or null. */
    @Nullable
    LinkEntry registered(@Nullable NodeId peer) {
        return peer == null ? null : table.get(peer);
    }

    boolean isLinked(NodeId peer) {
        return table.containsKey(peer);
    }

    /** Whether {@code link} is the registered link of its peer. */
    boolean isRegistered(LinkEntry link) {
        return link.peer != null && table.get(link.peer) == link;
    }

    Collection<LinkEntry> registered() {
        return table.values();
    }

    TreeMap<NodeId, LinkEntry> byPeer() {
        return table;
    }

    int linkCount() {
        return table.size();
    }

    int reportedCount() {
        return links.size();
    }

    int count(Direction direction) {
        return direction == Direction.INBOUND ? inbound : outbound;
    }

    long version() {
        return version;
    }

    /** Counts {@code link} as an inbound handshake under way; false when {@code limit} are already. */
    boolean admitPending(LinkEntry link, int limit) {
        if (pendingInbound >= limit) {
            return false;
        }
        pendingInbound++;
        link.pendingInbound = true;
        return true;
    }

    void endPending(LinkEntry link) {
        if (link.pendingInbound) {
            link.pendingInbound = false;
            pendingInbound--;
        }
    }

    void add(LinkEntry link) {
        table.put(requireNonNull(link.peer), link);
        if (link.direction == Direction.INBOUND) {
            inbound++;
        } else {
            outbound++;
        }
        version++;
    }

    void unregister(LinkEntry link) {
        if (link.peer != null && table.remove(link.peer, link)) {
            if (link.direction == Direction.INBOUND) {
                inbound--;
            } else {
                outbound--;
            }
            version++;
        }
    }

    /** Closes a link on this node's initiative (Close action); it is forgotten at once. */
    void close(LinkEntry link, DisconnectReason reason, String detail) {
        link.closing = true;
        links.remove(link.id);
        out.emit(new ManagerAction.Close(link.id, reason, detail));
    }

    /** Closes a registered link on this node's initiative: it stops counting at once. */
    void closeRegistered(LinkEntry link, DisconnectReason reason, String detail) {
        unregister(link);
        close(link, reason, detail);
        out.emit(new ManagerAction.Publish(new PeerEvent.Disconnected(connection(link), reason, detail, false)));
    }

    /** The registered link whose peer listens at, or was dialed at, {@code address}. */
    @Nullable
    LinkEntry linkAt(PeerAddress address) {
        for (LinkEntry l : table.values()) {
            if (address.equals(l.listen) || (l.direction == Direction.OUTBOUND && address.equals(l.remote))) {
                return l;
            }
        }
        return null;
    }

    Connection connection(LinkEntry l) {
        return new Connection(
                requireNonNull(l.peer),
                requireNonNull(l.role),
                l.remote,
                l.listen,
                l.direction,
                epoch.plusNanos(l.since));
    }
}
