package io.peerlink.node.cli;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerStatus;
import io.peerlink.core.Role;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders the devnet's connection matrix: one row per node, one column per node, each cell the round-trip time
 * of that link ({@code up} before the first heartbeat answer, {@code -} when not connected).
 *
 * <pre>{@code
 * String text = DevnetTable.render(members, peersById);
 * }</pre>
 */
final class DevnetTable {
    private DevnetTable() {}

    /** A devnet node as the table shows it. */
    record Member(String name, NodeId id, Role role, String listen, String admin) {}

    /** Whether every pair of validators is linked and every other node has at least one validator peer. */
    static boolean complete(List<Member> members, Map<NodeId, List<PeerStatus>> peers) {
        for (Member m : members) {
            List<PeerStatus> mine = peers.getOrDefault(m.id(), List.of());
            if (m.role().isValidator()) {
                for (Member other : members) {
                    if (other != m && other.role().isValidator() && find(mine, other.id()) == null) {
                        return false;
                    }
                }
            } else if (mine.stream().noneMatch(p -> p.connection().role().isValidator())) {
                return false;
            }
        }
        return true;
    }

    /** Number of distinct links seen from either end. */
    static int links(Map<NodeId, List<PeerStatus>> peers) {
        int ends = 0;
        for (List<PeerStatus> l : peers.values()) {
            ends += l.size();
        }
        return ends / 2;
    }

    static String render(List<Member> members, Map<NodeId, List<PeerStatus>> peers) {
        int nameWidth = Math.max(
                4, members.stream().mapToInt(m -> m.name().length()).max().orElse(4));
        int listenWidth = Math.max(
                6, members.stream().mapToInt(m -> m.listen().length()).max().orElse(6));
        int adminWidth = Math.max(
                5, members.stream().mapToInt(m -> m.admin().length()).max().orElse(5));
        int cell = 8;
        StringBuilder sb = new StringBuilder();
        sb.append(pad("node", nameWidth))
                .append("  ")
                .append(pad("role", 9))
                .append("  ")
                .append(pad("id", 10))
                .append("  ")
                .append(pad("listen", listenWidth))
                .append("  ")
                .append(pad("admin", adminWidth))
                .append(" ");
        for (Member m : members) {
            sb.append(' ').append(pad(m.name(), cell));
        }
        sb.append("  rtt ms\n");
        Map<NodeId, Member> byId = new HashMap<>();
        members.forEach(m -> byId.put(m.id(), m));
        for (Member m : members) {
            List<PeerStatus> mine = peers.getOrDefault(m.id(), List.of());
            sb.append(pad(m.name(), nameWidth))
                    .append("  ")
                    .append(pad(m.role().text(), 9))
                    .append("  ")
                    .append(pad(m.id().shortString(), 10))
                    .append("  ")
                    .append(pad(m.listen(), listenWidth))
                    .append("  ")
                    .append(pad(m.admin(), adminWidth))
                    .append(" ");
            for (Member other : members) {
                sb.append(' ').append(pad(other == m ? "." : cell(find(mine, other.id())), cell));
            }
            long strangers = mine.stream()
                    .filter(p -> !byId.containsKey(p.connection().peer()))
                    .count();
            if (strangers > 0) {
                sb.append("  +").append(strangers).append(" other");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static @Nullable PeerStatus find(List<PeerStatus> peers, NodeId id) {
        for (PeerStatus p : peers) {
            if (p.connection().peer().equals(id)) {
                return p;
            }
        }
        return null;
    }

    private static String cell(@Nullable PeerStatus p) {
        if (p == null) {
            return "-";
        }
        Duration rtt = p.rtt();
        if (rtt == null) {
            return "up";
        }
        return String.format(Locale.ROOT, "%.2f", rtt.toNanos() / 1e6);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
