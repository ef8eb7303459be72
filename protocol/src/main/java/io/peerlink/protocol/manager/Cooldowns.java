package io.peerlink.protocol.manager;

import io.peerlink.core.DisconnectReason;
import io.peerlink.core.PeerAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A cooldown per address, as the transport's address book keeps them: a dial that gave up waits
 * {@code base * 2^(failures-1)} (at most 64 × base) before the next; a learned address that did not speak peerlink
 * waits the long cooldown; an address can be held back once while its node is expected to dial this one.
 */
final class Cooldowns {
    static final int MAX_DOUBLINGS = 6;

    private final long baseNanos;
    private final long notPeerlinkNanos;
    /** {failures, notBeforeNanos}. */
    private final Map<PeerAddress, long[]> entries = new HashMap<>();

    Cooldowns(long baseNanos, long notPeerlinkNanos) {
        this.baseNanos = baseNanos;
        this.notPeerlinkNanos = notPeerlinkNanos;
    }

    boolean ready(PeerAddress address, long now) {
        long[] c = entries.get(address);
        return c == null || now - c[1] >= 0;
    }

    void defer(PeerAddress address, long waitNanos, long now) {
        entries.putIfAbsent(address, new long[] {0, now + waitNanos});
    }

    void failed(PeerAddress address, long now) {
        long[] c = entries.get(address);
        long failures = c == null ? 1 : c[0] + 1;
        entries.put(address, new long[] {failures, now + (baseNanos << Math.min(failures - 1, MAX_DOUBLINGS))});
    }

    void notPeerlink(PeerAddress address, long now) {
        long[] c = entries.get(address);
        entries.put(address, new long[] {
            (c == null ? 0 : c[0]) + 1, now + Math.max(notPeerlinkNanos, baseNanos << MAX_DOUBLINGS)
        });
    }

    void succeeded(PeerAddress address) {
        entries.remove(address);
    }

    int size() {
        return entries.size();
    }

    /** Whether a dial that ended with {@code reason} after connecting reached something that is not peerlink. */
    static boolean notPeerlink(DisconnectReason reason, boolean connected) {
        if (!connected) {
            return false;
        }
        return switch (reason) {
            case MALFORMED_FRAME,
                    FRAME_TOO_LARGE,
                    UNEXPECTED_MESSAGE,
                    PROTOCOL_VERSION,
                    TLS_REQUIRED,
                    UNEXPECTED_PEER,
                    BAD_CHALLENGE,
                    CONNECTION_CLOSED -> true;
            default -> false;
        };
    }
}
