package io.peerlink.core;

/**
 * Why a link was refused or closed. Each reason has a stable wire code carried in the {@code Disconnect} frame
 * (see docs/protocol.md), says whether dialing again later can help, and whether it blames the peer.
 *
 * <pre>{@code
 * DisconnectReason r = DisconnectReason.fromCode(frame.getReason());
 * if (r.retryable()) { ... }
 * }</pre>
 */
public enum DisconnectReason {
    /** The code received was not known to this version. */
    UNKNOWN(0, true, false, "unknown reason"),
    SHUTDOWN(1, true, false, "peer is shutting down"),
    DUPLICATE(2, false, false, "a connection to this node already exists"),
    UNKNOWN_PEER(3, false, true, "node id is not in the trust registry"),
    REVOKED(4, false, true, "node id was revoked"),
    ROLE_NOT_ALLOWED(5, false, true, "role not allowed for this node id or link"),
    BAD_SIGNATURE(6, false, true, "handshake signature does not verify"),
    ID_MISMATCH(7, false, true, "claimed node id does not match the public key"),
    PROTOCOL_VERSION(8, false, true, "incompatible protocol version"),
    HANDSHAKE_TIMEOUT(9, true, true, "handshake did not complete in time"),
    MALFORMED_FRAME(10, false, true, "malformed frame or message"),
    FRAME_TOO_LARGE(11, false, true, "frame exceeds the size limit"),
    UNEXPECTED_MESSAGE(12, false, true, "message not allowed in the current state"),
    TOO_MANY_CONNECTIONS(13, true, false, "connection limit reached"),
    HEARTBEAT_TIMEOUT(14, true, true, "heartbeats missed"),
    SELF_CONNECTION(15, false, false, "connected to itself"),
    BAD_CHALLENGE(16, false, true, "challenge has a bad length or was reflected"),
    UNEXPECTED_PEER(17, false, false, "dialed node id differs from the one that answered"),
    CONNECTION_CLOSED(18, true, false, "connection closed without a reason"),
    INTERNAL_ERROR(19, true, false, "internal error"),
    TLS_REQUIRED(20, false, false, "transport security settings do not match"),
    SLOW_PEER(21, true, false, "peer does not read fast enough"),
    NOT_CONNECTED(22, true, false, "no authenticated link to that node"),
    /** Over a peer-exchange limit: request rate, answer size, or unrequested answers; the peer is banned a while. */
    PEX_ABUSE(23, false, true, "peer exchange limits exceeded"),
    /** The node id is banned for a while (after {@link #PEX_ABUSE}). */
    BANNED(24, false, true, "node id is banned"),
    /** An operator closed the link through the admin endpoint; the peer may come back at once. */
    OPERATOR(25, true, false, "closed by an operator");

    private static final DisconnectReason[] BY_CODE;

    static {
        int max = 0;
        for (DisconnectReason r : values()) {
            max = Math.max(max, r.code);
        }
        BY_CODE = new DisconnectReason[max + 1];
        for (DisconnectReason r : values()) {
            BY_CODE[r.code] = r;
        }
    }

    private final int code;
    private final boolean retryable;
    private final boolean peerFault;
    private final String description;

    DisconnectReason(int code, boolean retryable, boolean peerFault, String description) {
        this.code = code;
        this.retryable = retryable;
        this.peerFault = peerFault;
        this.description = description;
    }

    /** Stable code on the wire. */
    public int code() {
        return code;
    }

    /** Whether dialing the same peer again later may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the reason blames the peer's behaviour (as opposed to local state or policy). */
    public boolean peerFault() {
        return peerFault;
    }

    /** A human-readable sentence. */
    public String description() {
        return description;
    }

    /** Lower-case text form used in logs, metrics tags and admin output, e.g. {@code bad_signature}. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The reason for a wire code; {@link #UNKNOWN} for codes this version does not know. */
    public static DisconnectReason fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length || BY_CODE[code] == null) {
            return UNKNOWN;
        }
        return BY_CODE[code];
    }
}
