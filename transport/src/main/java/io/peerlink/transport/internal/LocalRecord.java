package io.peerlink.transport.internal;

import io.peerlink.core.PeerAddress;
import io.peerlink.core.config.NodeConfig;
import io.peerlink.core.identity.NodeIdentity;
import io.peerlink.protocol.handshake.LocalPeer;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * This node as its handshakes present it, with its signed address record: signed once per advertised address (not
 * per handshake), its sequence number the start time in milliseconds, bumped whenever the address changes. Carries
 * this start's boot incarnation: a restart of the same key presents a higher one. Thread-safe.
 *
 * <pre>{@code
 * LocalRecord local = new LocalRecord(identity, config, () -> boundAddress);
 * LocalPeer me = local.get();
 * }</pre>
 */
final class LocalRecord implements Supplier<LocalPeer> {
    private final NodeIdentity identity;
    private final NodeConfig config;
    private final Supplier<@Nullable PeerAddress> bound;
    private final long incarnation = LocalPeer.newIncarnation();
    private volatile @Nullable LocalPeer current;
    private long sequence; // guarded by this

    LocalRecord(NodeIdentity identity, NodeConfig config, Supplier<@Nullable PeerAddress> bound) {
        this.identity = identity;
        this.config = config;
        this.bound = bound;
    }

    @Override
    public LocalPeer get() {
        PeerAddress advertise = config.advertise() != null ? config.advertise() : bound.get();
        LocalPeer peer = current;
        if (peer != null && Objects.equals(peer.advertise(), advertise)) {
            return peer;
        }
        synchronized (this) {
            peer = current;
            if (peer != null && Objects.equals(peer.advertise(), advertise)) {
                return peer;
            }
            sequence = Math.max(sequence + 1, System.currentTimeMillis());
            peer = LocalPeer.of(identity, config.role(), advertise, sequence, incarnation);
            current = peer;
            return peer;
        }
    }
}
