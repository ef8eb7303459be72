package io.peerlink.protocol.manager;

import static java.util.Objects.requireNonNull;

import io.peerlink.core.NodeId;
import io.peerlink.core.PeerAddress;
import org.jspecify.annotations.Nullable;

/**
 * The one key concurrent dials are shared by: the node id when the dialer knows it, else the address. A seed dialed
 * by address and the same node dialed by id are two keys until the seed's handshake tells its id.
 *
 * <pre>{@code
 * DialKey key = DialKey.of(address, expectedId);   // ById when expectedId != null
 * }</pre>
 */
public sealed interface DialKey {

    /** Keyed by the node id the dialer expects to answer. */
    record ById(NodeId id) implements DialKey {
        public ById {
            requireNonNull(id, "id");
        }
    }

    /** Keyed by the address (the node behind it is not known yet). */
    record ByAddress(PeerAddress address) implements DialKey {
        public ByAddress {
            requireNonNull(address, "address");
        }
    }

    /** The id if known, else the address. */
    static DialKey of(PeerAddress address, @Nullable NodeId expected) {
        return expected != null ? new ById(expected) : new ByAddress(requireNonNull(address, "address"));
    }
}
