package io.peerlink.protocol.handshake;

import io.peerlink.core.Direction;
import io.peerlink.core.Role;

/**
 * Which links may exist. Validators mesh with validators and accept anyone trusted; non-validators only dial
 * validators and accept nobody.
 *
 * <pre>{@code
 * boolean ok = LinkPolicy.allowed(Role.VALIDATOR, Role.OBSERVER, Direction.INBOUND);   // true
 * }</pre>
 */
public final class LinkPolicy {
    private LinkPolicy() {}

    /** Whether a node with {@code local} role may hold a link in {@code direction} with a {@code remote} node. */
    public static boolean allowed(Role local, Role remote, Direction direction) {
        if (direction == Direction.OUTBOUND) {
            return remote.isValidator();
        }
        return local.isValidator();
    }

    /** Whether a node with {@code local} role may dial a node with {@code remote} role. */
    public static boolean mayDial(Role local, Role remote) {
        return allowed(local, remote, Direction.OUTBOUND);
    }
}
