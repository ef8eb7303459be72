package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import io.peerlink.core.Role;
import io.peerlink.core.config.NodeConfig;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link ConnectionManager} needs to know about its node.
 *
 * <pre>{@code
 * ManagerSettings s = ManagerSettings.of(identity.id(), config, boundAddress, Instant.now().minusNanos(ticker.nanoTime()));
 * }</pre>
 *
 * @param self this node's id
 * @param ownAddress the address this node advertises (never dialed), if any
 * @param config the node's settings (role, seeds, dial policy, timeouts, limits, peer exchange)
 * @param epoch the wall-clock instant of time 0 of the events' clock, for {@code Connection.establishedAt}
 * @param attachTo how many validators a gateway or observer keeps links to at least, seeds included (validators
 *     ignore it; 0 turns attachments and a non-validator's peer exchange off)
 */
public record ManagerSettings(
        NodeId self, @Nullable PeerAddress ownAddress, NodeConfig config, Instant epoch, int attachTo) {
    /** The transport's default {@code attach-to}. */
    public static final int DEFAULT_ATTACH_TO = 2;

    public ManagerSettings {
        requireNonNull(self, "self");
        requireNonNull(config, "config");
        requireNonNull(epoch, "epoch");
        if (attachTo < 0) {
            throw new IllegalArgumentException("attachTo: " + attachTo + " (expected: >= 0)");
        }
    }

    /** With the default {@code attachTo}. */
    public ManagerSettings(NodeId self, @Nullable PeerAddress ownAddress, NodeConfig config, Instant epoch) {
        this(self, ownAddress, config, epoch, DEFAULT_ATTACH_TO);
    }

    /** Advertising {@code config.advertise()}, else {@code bound}; the default {@code attachTo}. */
    public static ManagerSettings of(NodeId self, NodeConfig config, @Nullable PeerAddress bound, Instant epoch) {
        return new ManagerSettings(self, config.advertise() != null ? config.advertise() : bound, config, epoch);
    }

    /** With {@code attachTo}: how many validators a gateway or observer keeps links to at least (seeds included). */
    public ManagerSettings withAttachTo(int attachTo) {
        return new ManagerSettings(self, ownAddress, config, epoch, attachTo);
    }

    public Role role() {
        return config.role();
    }

    /** The upkeep period: {@code min(1 s, dial.redialInterval)}, as the transport's mesh tick. */
    public long tickNanos() {
        return Math.max(1, Math.min(1000, config.dial().redialInterval().toMillis())) * 1_000_000L;
    }

    /** Peer-exchange requests go out every this many ticks (the rounding {@code NodeConfig} checks limits with). */
    public long pexEveryTicks() {
        return Math.max(1, config.pexInterval().toMillis() / (tickNanos() / 1_000_000L));
    }

    /** How long one mesh dial holds its slot at most: one attempt's connect and handshake. */
    public long slotNanos() {
        return config.timeouts().connect().plus(config.timeouts().handshake()).toNanos();
    }

    /** How long the end that does not dial first waits for the other before dialing itself. */
    public long deferralNanos() {
        return config.dial()
                .redialInterval()
                .plus(config.timeouts().connect())
                .plus(config.timeouts().handshake())
                .toNanos();
    }
}
